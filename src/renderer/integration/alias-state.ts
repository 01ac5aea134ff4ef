import type { AppError } from '../../shared/errors';
import { fieldErrorsOf } from '../../shared/field-errors';
import { aliasInputSchema, type AliasInput, type AliasTarget, type AliasView } from '../../shared/integration';
import { mailboxNames } from '../../shared/mailboxes';
import { assertNever } from '../assert-never';

/**
 * The Aliases list of an integration mailbox: the addresses whose mail arriving there becomes a record,
 * and with which defaults (a Lead Inbox note of an activity type for an owner, or a Service Desk case in a
 * queue). Its own address is the default alias, which goes only with the mailbox.
 */

export type AliasTargetKind = AliasTarget['kind'];
export const aliasTargetKinds: readonly AliasTargetKind[] = ['lead', 'serviceDesk'];
export const aliasTargetLabels: Readonly<Record<AliasTargetKind, string>> = { lead: mailboxNames.lead, serviceDesk: mailboxNames.serviceDesk };

export type AliasField = 'address' | 'activityType' | 'owner' | 'queue';

export interface AliasDraft {
  readonly address: string;
  readonly targetKind: AliasTargetKind;
  readonly activityType: string;
  readonly owner: string;
  readonly queue: string;
}

export type AliasList =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | { readonly kind: 'loaded'; readonly aliases: readonly AliasView[] };

/** One change at a time: adding, or deleting the alias with this id. */
export type AliasBusy = { readonly kind: 'idle' } | { readonly kind: 'adding' } | { readonly kind: 'deleting'; readonly id: string };

export interface AliasesState {
  readonly list: AliasList;
  readonly draft: AliasDraft;
  /** Add was pressed with something wrong, or main refused a field: the problems show under the fields. */
  readonly errors: Readonly<Partial<Record<AliasField, string>>>;
  readonly busy: AliasBusy;
  /** Why the last change was refused, when it is not about one field. */
  readonly failure: AppError | null;
  /** "sales+web@example.com added.": said once, after a change. */
  readonly done: string | null;
}

export type AliasesAction =
  | { readonly type: 'loaded'; readonly aliases: readonly AliasView[] }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'edit'; readonly field: AliasField; readonly value: string }
  | { readonly type: 'chooseTarget'; readonly kind: AliasTargetKind }
  | { readonly type: 'rejectedLocally'; readonly errors: Readonly<Partial<Record<AliasField, string>>> }
  | { readonly type: 'addStarted' }
  | { readonly type: 'deleteStarted'; readonly id: string }
  /** Main's answer to add or delete: the aliases now. */
  | { readonly type: 'changed'; readonly aliases: readonly AliasView[]; readonly done: string }
  | { readonly type: 'refused'; readonly error: AppError };

export function emptyAliasDraft(activityType = ''): AliasDraft {
  return { address: '', targetKind: 'lead', activityType, owner: '', queue: '' };
}

export function initialAliasesState(activityType = ''): AliasesState {
  return { list: { kind: 'loading' }, draft: emptyAliasDraft(activityType), errors: {}, busy: { kind: 'idle' }, failure: null, done: null };
}

export type CheckedAlias = { readonly ok: true; readonly input: AliasInput } | { readonly ok: false; readonly errors: Readonly<Partial<Record<AliasField, string>>> };

/** The draft read by the shared schema main checks with; the problems keyed by the form's fields. */
export function checkAliasDraft(credentialId: string, draft: AliasDraft): CheckedAlias {
  const target =
    draft.targetKind === 'lead' ? { kind: 'lead' as const, activityType: draft.activityType, owner: draft.owner } : { kind: 'serviceDesk' as const, queue: draft.queue };
  const input = { address: draft.address, credentialId, target };
  const parsed = aliasInputSchema.safeParse(input);
  if (parsed.success) return { ok: true, input };
  return { ok: false, errors: aliasFieldErrors(fieldErrorsOf(parsed.error)) };
}

/** Main's (or the schema's) field paths, `target.queue`, as the form's fields. */
function aliasFieldErrors(byPath: Readonly<Record<string, string>>): Partial<Record<AliasField, string>> {
  const errors: Partial<Record<AliasField, string>> = {};
  for (const field of ['address', 'activityType', 'owner', 'queue'] as const) {
    const message = byPath[field] ?? byPath[`target.${field}`];
    if (message !== undefined) errors[field] = message;
  }
  return errors;
}

/** What an alias does with a message, in a sentence fragment for its row. */
export function describeAliasTarget(target: AliasTarget): string {
  switch (target.kind) {
    case 'lead':
      return `${mailboxNames.lead}: “${target.activityType}” notes${target.owner === '' ? '' : `, owner ${target.owner}`}`;
    case 'serviceDesk':
      return `${mailboxNames.serviceDesk}: cases in the ${target.queue} queue`;
    default:
      return assertNever(target);
  }
}

/** The aliases of one mailbox, its default alias first. */
export function aliasesOf(list: AliasList, credentialId: string): readonly AliasView[] {
  if (list.kind !== 'loaded') return [];
  return list.aliases
    .filter((alias) => alias.credentialId === credentialId)
    .toSorted((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.address.localeCompare(b.address));
}

export function aliasesReducer(state: AliasesState, action: AliasesAction): AliasesState {
  switch (action.type) {
    case 'loaded':
      return { ...state, list: { kind: 'loaded', aliases: action.aliases } };
    case 'loadFailed':
      return { ...state, list: { kind: 'loadFailed', error: action.error } };
    case 'edit': {
      const { [action.field]: _fixed, ...otherErrors } = state.errors;
      return { ...state, draft: { ...state.draft, [action.field]: action.value }, errors: otherErrors, done: null };
    }
    case 'chooseTarget':
      return { ...state, draft: { ...state.draft, targetKind: action.kind }, done: null };
    case 'rejectedLocally':
      return { ...state, errors: action.errors, failure: null, done: null };
    case 'addStarted':
      return { ...state, busy: { kind: 'adding' }, failure: null, done: null };
    case 'deleteStarted':
      return { ...state, busy: { kind: 'deleting', id: action.id }, failure: null, done: null };
    case 'changed': {
      const added = state.busy.kind === 'adding';
      return {
        ...state,
        list: { kind: 'loaded', aliases: action.aliases },
        busy: { kind: 'idle' },
        failure: null,
        done: action.done,
        // The next alias starts from the same target and defaults, with a new address.
        ...(added ? { draft: { ...state.draft, address: '' }, errors: {} } : {}),
      };
    }
    case 'refused': {
      const errors = aliasFieldErrors(action.error.fieldErrors ?? {});
      const aboutFields = state.busy.kind === 'adding' && Object.keys(errors).length > 0;
      return { ...state, busy: { kind: 'idle' }, errors: aboutFields ? errors : state.errors, failure: aboutFields ? null : action.error, done: null };
    }
    default:
      return assertNever(action);
  }
}
