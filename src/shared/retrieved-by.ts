/**
 * Which installation empties a mailbox when several share one records database (team mode): the last
 * one to take the mailbox's lease. Absent (null) on an installation of its own, or before any run.
 */
export interface RetrievedBy {
  /** The installation as its colleagues call it: host name and data directory. */
  readonly name: string;
  /** True when that installation is this one. */
  readonly thisInstallation: boolean;
  /** When it last started emptying the mailbox (ISO 8601). */
  readonly since: string;
}

/** "Retrieved by ws-7 (Mail Settings) — this computer", as the inbox dialog and the Email Integration row say it. */
export function describeRetrievedBy(retrievedBy: RetrievedBy): string {
  return `Retrieved by ${retrievedBy.name} — ${retrievedBy.thisInstallation ? 'this computer' : 'another installation'}`;
}
