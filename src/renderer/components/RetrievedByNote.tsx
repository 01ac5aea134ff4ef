import { describeRetrievedBy, type RetrievedBy } from '../../shared/retrieved-by';

/**
 * Team mode: which installation empties the mailbox ("Retrieved by ws-7 (Mail Settings) — this
 * computer"). Nothing when the records are not shared, or no installation has emptied it yet.
 */
export function RetrievedByNote({ retrievedBy }: Readonly<{ retrievedBy: RetrievedBy | null | undefined }>) {
  if (!retrievedBy) return null;
  return (
    <span className="retrieved-by" data-retrieved-by={retrievedBy.thisInstallation ? 'this' : 'other'} title={`Since ${retrievedBy.since}`}>
      {describeRetrievedBy(retrievedBy)}
    </span>
  );
}
