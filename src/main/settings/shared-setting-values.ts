import type { InboxId } from '../../shared/mailboxes';
import { storedIntegrationsSchema, type StoredIntegrations } from './integration-settings-schema';
import { storedMailboxes } from './mailbox-settings-schema';
import type { SettingsStore } from './settings-store';

/**
 * What a team shares (issue 16): the Lead and Service Desk inboxes' configurations and Email
 * Integration's credentials and aliases. Send Direct is each user's own and is never shared; neither is
 * anything of the keychain (passwords, tokens) nor the sign-ins: the settings file has no place for them.
 */
export const sharedSettingKeys = ['mailboxes.lead', 'mailboxes.serviceDesk', 'integrations'] as const;
export type SharedSettingKey = (typeof sharedSettingKeys)[number];

export const sharedKeyOfInbox: Readonly<Record<InboxId, SharedSettingKey>> = { lead: 'mailboxes.lead', serviceDesk: 'mailboxes.serviceDesk' };

const inboxOfKey: Readonly<Partial<Record<SharedSettingKey, InboxId>>> = { 'mailboxes.lead': 'lead', 'mailboxes.serviceDesk': 'serviceDesk' };

export function isSharedSettingKey(key: string): key is SharedSettingKey {
  return (sharedSettingKeys as readonly string[]).includes(key);
}

/**
 * Email Integration as shared: each credential's settings and when it was added, and the aliases. How its
 * last check went (status, last success) is the installation's own: it describes its own runs.
 */
function sharedIntegrations(local: StoredIntegrations): unknown {
  const credentials = Object.fromEntries(Object.entries(local.credentials).map(([id, { settings, createdAt }]) => [id, { settings, createdAt }]));
  return { credentials, aliases: local.aliases };
}

/** A shared Email Integration with this installation's own statuses kept for the credentials it already had. */
function withLocalStatuses(shared: unknown, local: StoredIntegrations): StoredIntegrations {
  const { credentials, aliases } = shared as { credentials: Record<string, { settings: unknown; createdAt: unknown }>; aliases: unknown };
  const merged = Object.fromEntries(
    Object.entries(credentials).map(([id, credential]) => [id, { ...credential, status: local.credentials[id]?.status ?? null, lastSuccessAt: local.credentials[id]?.lastSuccessAt ?? null }]),
  );
  // Checked as a save is: a value another version wrote that this one does not understand is refused.
  return storedIntegrationsSchema.parse({ credentials: merged, aliases });
}

/**
 * The key's value in the local settings file, as it is shared; null when there is nothing of it here (an
 * inbox never saved, no Email Integration mailbox ever added) to offer a database that has no value yet.
 * `forSeeding: false`: an Email Integration emptied here is a value too (its deletions are shared).
 */
export function localSharedValue(settings: SettingsStore, key: SharedSettingKey, { forSeeding = false } = {}): unknown {
  const inbox = inboxOfKey[key];
  if (inbox) return settings.getMailbox(inbox);
  const integrations = settings.getIntegrations();
  const empty = Object.keys(integrations.credentials).length === 0 && Object.keys(integrations.aliases).length === 0;
  return empty && forSeeding ? null : sharedIntegrations(integrations);
}

/** Writes a shared value into the local settings file; throws (zod) on a value this version cannot keep. */
export function applySharedValue(settings: SettingsStore, key: SharedSettingKey, value: unknown): void {
  const inbox = inboxOfKey[key];
  if (inbox) settings.setMailbox(inbox, storedMailboxes[inbox].schema.parse(value));
  else settings.setIntegrations(withLocalStatuses(value, settings.getIntegrations()));
}
