import { ErrorCode, type AppError } from '../../shared/errors';
import type { StoredAlias, StoredIntegrations } from '../settings/integration-settings-schema';

/**
 * The rules of seed 002 and issue 15 that keep mail going to one place: a mailbox is set up once, is the
 * mailbox's own address (not an alias of another), and a credential goes only when no other alias routes
 * mail through it. Pure functions of the stored state, so they are the same for the app and the CLI.
 */

/** A mailbox the built-in inboxes empty (their User Name, or the shared mailbox they read). */
export interface BuiltInMailbox {
  readonly name: string;
  readonly address: string;
}

const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Refuses a Mailbox that another credential (or a built-in inbox) reads, or that is an alias of another credential. */
export function mailboxRefusal(state: StoredIntegrations, mailbox: string, ownId: string | null, builtIn: readonly BuiltInMailbox[]): AppError | null {
  for (const [id, credential] of Object.entries(state.credentials)) {
    if (id === ownId || !sameAddress(credential.settings.mailbox, mailbox)) continue;
    return invalid(
      `${mailbox} is already set up as “${credential.settings.configurationName}”.`,
      'Open that credential’s Details to change it, or enter another mailbox.',
      `“${credential.settings.configurationName}” already uses this mailbox.`,
    );
  }
  for (const inbox of builtIn) {
    if (!sameAddress(inbox.address, mailbox)) continue;
    return invalid(
      `${mailbox} is the ${inbox.name}’s mailbox: both would empty it, each taking a share of its mail.`,
      `Enter another mailbox, or change the ${inbox.name}’s settings first.`,
      `The ${inbox.name} already reads this mailbox.`,
    );
  }
  for (const alias of Object.values(state.aliases)) {
    if (!sameAddress(alias.address, mailbox)) continue;
    if (alias.credentialId === ownId && alias.isDefault) continue;
    const owner = state.credentials[alias.credentialId];
    if (alias.credentialId === ownId) {
      return invalid(
        `${mailbox} is already an alias of this mailbox.`,
        'Enter the address of the mailbox itself, or delete that alias first.',
        'This address is an alias of this mailbox: enter the mailbox’s own address.',
      );
    }
    return invalid(
      `${mailbox} is an alias of “${owner?.settings.configurationName ?? alias.credentialId}” (${owner?.settings.mailbox ?? 'another mailbox'}), not a mailbox of its own.`,
      'Enter the actual email address of the mailbox, not an alias for it.',
      'This is an alias of another mailbox: enter the mailbox’s own address.',
    );
  }
  return null;
}

/** Refuses an alias whose address is taken (by an alias or as another credential's mailbox). */
export function aliasRefusal(state: StoredIntegrations, address: string, credentialId: string): AppError | null {
  const credential = state.credentials[credentialId];
  if (!credential) return credentialNotFound(credentialId);
  for (const alias of Object.values(state.aliases)) {
    if (!sameAddress(alias.address, address)) continue;
    const owner = state.credentials[alias.credentialId];
    return invalid(
      `${address} is already an alias of “${owner?.settings.configurationName ?? alias.credentialId}”.`,
      'Each address routes to one place: delete that alias first, or enter another address.',
      'This address is already an alias.',
      'address',
    );
  }
  for (const [id, other] of Object.entries(state.credentials)) {
    if (id === credentialId || !sameAddress(other.settings.mailbox, address)) continue;
    return invalid(
      `${address} is the mailbox of “${other.settings.configurationName}”: mail to it arrives there, not in “${credential.settings.configurationName}”.`,
      `Choose “${other.settings.configurationName}” as the mailbox of this alias, or enter another address.`,
      'This address is another integration mailbox.',
      'address',
    );
  }
  return null;
}

/** The aliases other than its own default that route mail through a credential. */
export function aliasesUsing(state: StoredIntegrations, credentialId: string): Array<{ readonly id: string; readonly alias: StoredAlias }> {
  return Object.entries(state.aliases)
    .filter(([, alias]) => alias.credentialId === credentialId && !alias.isDefault)
    .map(([id, alias]) => ({ id, alias }))
    .sort((a, b) => a.alias.address.localeCompare(b.alias.address));
}

/** Deleting a credential that other aliases use is refused, naming them (seed 002: "ensure that it is not associated with any email aliases"). */
export function deleteRefusal(state: StoredIntegrations, credentialId: string): AppError | null {
  const using = aliasesUsing(state, credentialId).map(({ alias }) => alias.address);
  if (using.length === 0) return null;
  const one = using.length === 1;
  return {
    code: ErrorCode.IntegrationInUse,
    message: `${using.join(', ')} ${one ? 'uses' : 'use'} this mailbox: delete ${one ? 'that alias' : 'those aliases'} first.`,
    fix: `Delete ${one ? 'the alias' : 'the aliases'}, then delete this credential. Its own alias (${state.credentials[credentialId]?.settings.mailbox ?? 'its address'}) goes with it.`,
  };
}

/** The default alias of a credential: the one for its own address, created and deleted with it. */
export function defaultAliasIdOf(state: StoredIntegrations, credentialId: string): string | null {
  return Object.entries(state.aliases).find(([, alias]) => alias.credentialId === credentialId && alias.isDefault)?.[0] ?? null;
}

export function credentialNotFound(id: string): AppError {
  return {
    code: ErrorCode.IntegrationNotFound,
    message: `There is no integration mailbox “${id}”.`,
    fix: 'List the mailboxes again: it may have been deleted meanwhile.',
  };
}

export function aliasNotFound(id: string): AppError {
  return { code: ErrorCode.IntegrationNotFound, message: `There is no alias “${id}”.`, fix: 'List the aliases again: it may have been deleted meanwhile.' };
}

function invalid(message: string, fix: string, fieldMessage: string, field: string = 'mailbox'): AppError {
  return { code: ErrorCode.InvalidInput, message, fix, fieldErrors: { [field]: fieldMessage } };
}
