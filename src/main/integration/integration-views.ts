import type { AppError } from '../../shared/errors';
import { checkEveryMinutesOf, type InboxRunSummary, type InboxSettings } from '../../shared/inbox';
import type { AliasView, IntegrationCredentialView } from '../../shared/integration';
import { inboxIds, mailboxNames, type InboxId } from '../../shared/mailboxes';
import type { StoredAlias, StoredIntegrationCredential, StoredIntegrations } from '../settings/integration-settings-schema';
import type { AccountRecord } from '../settings/settings-schema';
import type { BuiltInMailbox } from './integration-rules';

/**
 * The Email Integration dashboard's rows: the built-in mailboxes from their own saved settings (Send
 * Direct, Lead Inbox, Service Desk Inbox), then every added credential. Never a password: only whether one
 * is stored.
 */

type Status = IntegrationCredentialView['status'];

/** A sign-in that has ended shows as the row's red cross, whatever the last run said. */
function accountStatus(account: AccountRecord | null, at: string): Status {
  if (account?.status !== 'needs-reauth') return null;
  const error = account.reason as AppError | null;
  return { ok: false, at: account.lastRefreshedAt ?? at, error };
}

/** "Stale": no success for three check intervals. */
function isStale(lastSuccessAt: string | null, intervalMinutes: number, now: Date): boolean {
  return lastSuccessAt !== null && now.getTime() - Date.parse(lastSuccessAt) > 3 * intervalMinutes * 60_000;
}

export interface BuiltInSources {
  readonly send: { readonly senderAddress: string; readonly userName: string; readonly serverName: string; readonly authMethod: InboxSettings['authMethod'] } | null;
  readonly inboxes: Readonly<Record<InboxId, InboxSettings | null>>;
  readonly passwordStored: Readonly<Record<'send' | InboxId, boolean>>;
  readonly accounts: Readonly<Record<'send' | InboxId, AccountRecord | null>>;
  readonly lastRuns: Readonly<Record<InboxId, InboxRunSummary | null>>;
}

const inboxKinds = { lead: 'leadInbox', serviceDesk: 'serviceDeskInbox' } as const;

export function builtInRows(sources: BuiltInSources, now: Date): IntegrationCredentialView[] {
  const rows: IntegrationCredentialView[] = [];
  const { send } = sources;
  if (send) {
    rows.push({
      id: 'send',
      kind: 'sendDirect',
      configurationName: mailboxNames.send,
      mailbox: send.userName || send.senderAddress,
      host: send.serverName,
      authMethod: send.authMethod,
      settings: null,
      hasPassword: sources.passwordStored.send,
      status: accountStatus(sources.accounts.send, now.toISOString()),
      lastSuccessAt: null,
      stale: false,
      aliasCount: 0,
    });
  }
  for (const inbox of inboxIds) {
    const saved = sources.inboxes[inbox];
    if (!saved) continue;
    const run = sources.lastRuns[inbox];
    const lastSuccessAt = run && run.error === null ? run.finishedAt : null;
    rows.push({
      id: inbox,
      kind: inboxKinds[inbox],
      configurationName: mailboxNames[inbox],
      mailbox: saved.sharedMailbox ?? saved.userName,
      host: saved.serverName,
      authMethod: saved.authMethod,
      settings: null,
      hasPassword: sources.passwordStored[inbox],
      status: accountStatus(sources.accounts[inbox], now.toISOString()) ?? (run ? { ok: run.error === null, at: run.finishedAt, error: run.error } : null),
      lastSuccessAt,
      stale: isStale(lastSuccessAt, checkEveryMinutesOf(saved), now),
      aliasCount: 0,
    });
  }
  return rows;
}

/** The mailboxes the built-in inboxes empty: an integration mailbox may not be one of them. */
export function builtInInboxMailboxes(inboxes: Readonly<Record<InboxId, InboxSettings | null>>): BuiltInMailbox[] {
  return inboxIds.flatMap((inbox) => {
    const saved = inboxes[inbox];
    return saved ? [{ name: mailboxNames[inbox], address: saved.sharedMailbox ?? saved.userName }] : [];
  });
}

/** How often an integration mailbox is fetched (issue 15: every 5 minutes). */
export const integrationCheckEveryMinutes = 5;

export function credentialRow(id: string, credential: StoredIntegrationCredential, state: StoredIntegrations, hasPassword: boolean, now?: Date): IntegrationCredentialView {
  const { settings } = credential;
  return {
    id,
    kind: 'integration',
    configurationName: settings.configurationName,
    mailbox: settings.mailbox,
    host: settings.host,
    authMethod: settings.authMethod,
    settings,
    hasPassword,
    status: credential.status,
    lastSuccessAt: credential.lastSuccessAt,
    // Fetched every 5 minutes (integration-schedule.ts): stale after 3 intervals without a success, counted
    // from when it was added if it never had one.
    stale: now !== undefined && isStale(credential.lastSuccessAt ?? credential.createdAt, integrationCheckEveryMinutes, now),
    aliasCount: Object.values(state.aliases).filter((alias) => alias.credentialId === id).length,
  };
}

export function aliasView(id: string, alias: StoredAlias): AliasView {
  return { id, address: alias.address, credentialId: alias.credentialId, target: alias.target, isDefault: alias.isDefault };
}

/** Aliases by address, so lists and the CLI show them in a stable order. */
export function aliasViews(state: StoredIntegrations, credentialId?: string): AliasView[] {
  return Object.entries(state.aliases)
    .filter(([, alias]) => credentialId === undefined || alias.credentialId === credentialId)
    .map(([id, alias]) => aliasView(id, alias))
    .sort((a, b) => a.address.localeCompare(b.address) || a.id.localeCompare(b.id));
}
