import { mailboxNames, inboxIds } from '../../shared/mailboxes';
import { describeRetrievedBy, type RetrievedBy } from '../../shared/retrieved-by';
import type { AppServices } from '../services';

/** One mailbox the installations share, and which one empties it (null: no run yet). */
export interface MailboxRetriever {
  /** `lead`, `serviceDesk`, or an Email Integration credential's id. */
  readonly id: string;
  readonly name: string;
  readonly retrievedBy: RetrievedBy | null;
}

/**
 * Team mode's part of `status`: every set-up mailbox that is emptied into the shared records, with the
 * installation that empties it. Null off team mode: an installation of its own empties its mailboxes itself.
 */
export async function retrieversStatus(services: AppServices): Promise<MailboxRetriever[] | null> {
  if (services.sharedSettings === null) return null;
  const inboxes = await Promise.all(
    inboxIds.map(async (inbox) => {
      const view = await services.inbox.get(inbox);
      return view.ok && view.value.settings ? [{ id: inbox, name: mailboxNames[inbox], retrievedBy: view.value.retrievedBy ?? null }] : [];
    }),
  );
  const rows = await services.integration.list();
  const integrations = rows.ok ? rows.value.filter((row) => row.kind === 'integration').map((row) => ({ id: row.id, name: row.configurationName, retrievedBy: row.retrievedBy ?? null })) : [];
  return [...inboxes.flat(), ...integrations];
}

/** The lines of `status` that say who empties each mailbox. */
export function formatRetrievers(retrievers: readonly MailboxRetriever[] | null): string {
  if (retrievers === null) return '';
  return retrievers.map(({ name, retrievedBy }) => `${name}: ${retrievedBy ? describeRetrievedBy(retrievedBy) : 'not retrieved by any installation yet'}\n`).join('');
}
