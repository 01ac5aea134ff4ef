import type { AppError } from '../../shared/errors';
import type { IntegrationCredentialView } from '../../shared/integration';
import { inboxDialogTitles } from '../../shared/inbox';
import { mailboxNames } from '../../shared/mailboxes';
import { assertNever } from '../assert-never';

/**
 * The Email Integration dashboard (seed 002: "From here, you can add, edit details, and delete records"):
 * every mailbox credential the app holds, which dialog is open over it, and the Delete confirmation with
 * main's answer. Rows come from main's answers and its `integrationsChanged` events.
 */

export type DashboardRows =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | { readonly kind: 'loaded'; readonly rows: readonly IntegrationCredentialView[] };

export type DashboardDialog =
  | { readonly kind: 'none' }
  /** New Email Integration. */
  | { readonly kind: 'new' }
  /** An added mailbox's Details: its settings, Change Password, its aliases. */
  | { readonly kind: 'details'; readonly id: string }
  /** A built-in mailbox (Send Direct, an inbox): where it is edited. */
  | { readonly kind: 'builtIn'; readonly id: string }
  | { readonly kind: 'delete'; readonly id: string; readonly busy: boolean; readonly error: AppError | null };

export interface DashboardState {
  readonly rows: DashboardRows;
  readonly dialog: DashboardDialog;
  /** "Sales mailbox deleted.": said once under the table. */
  readonly done: string | null;
  /** The added mailboxes whose Check now is running. */
  readonly checking: readonly string[];
  /** A Check now that could not run (another run is emptying the mailbox …), said under the table. */
  readonly checkRefused: AppError | null;
}

export type DashboardAction =
  | { readonly type: 'loaded'; readonly rows: readonly IntegrationCredentialView[] }
  | { readonly type: 'loadFailed'; readonly error: AppError }
  | { readonly type: 'reloading' }
  | { readonly type: 'add' }
  | { readonly type: 'openDetails'; readonly id: string }
  | { readonly type: 'askDelete'; readonly id: string }
  | { readonly type: 'deleteStarted' }
  | { readonly type: 'deleted'; readonly rows: readonly IntegrationCredentialView[]; readonly name: string }
  | { readonly type: 'deleteRefused'; readonly error: AppError }
  /** New Email Integration saved: its Details take over, for its aliases and Test Connection. */
  | { readonly type: 'added'; readonly view: IntegrationCredentialView }
  | { readonly type: 'closeDialog' }
  | { readonly type: 'checkStarted'; readonly id: string }
  /** Check now ended: the row with its tick or cross and last successful fetch. */
  | { readonly type: 'checked'; readonly row: IntegrationCredentialView }
  | { readonly type: 'checkRefused'; readonly id: string; readonly error: AppError };

export const initialDashboardState: DashboardState = { rows: { kind: 'loading' }, dialog: { kind: 'none' }, done: null, checking: [], checkRefused: null };

export function rowsOf(state: DashboardState): readonly IntegrationCredentialView[] {
  return state.rows.kind === 'loaded' ? state.rows.rows : [];
}

export function rowById(state: DashboardState, id: string): IntegrationCredentialView | null {
  return rowsOf(state).find((row) => row.id === id) ?? null;
}

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  switch (action.type) {
    case 'loaded': {
      const next: DashboardState = { ...state, rows: { kind: 'loaded', rows: action.rows } };
      // A credential deleted meanwhile (elsewhere, or by the CLI) takes its dialog with it.
      const open = state.dialog;
      if (open.kind !== 'none' && open.kind !== 'new' && !action.rows.some((row) => row.id === open.id)) return { ...next, dialog: { kind: 'none' } };
      return next;
    }
    case 'loadFailed':
      return { ...state, rows: { kind: 'loadFailed', error: action.error } };
    case 'reloading':
      return { ...state, rows: { kind: 'loading' } };
    case 'add':
      return { ...state, dialog: { kind: 'new' }, done: null };
    case 'openDetails': {
      const row = rowById(state, action.id);
      if (row === null) return state;
      return { ...state, dialog: row.kind === 'integration' ? { kind: 'details', id: row.id } : { kind: 'builtIn', id: row.id }, done: null };
    }
    case 'askDelete': {
      const row = rowById(state, action.id);
      if (row?.kind !== 'integration') return state;
      return { ...state, dialog: { kind: 'delete', id: row.id, busy: false, error: null }, done: null };
    }
    case 'deleteStarted':
      return state.dialog.kind === 'delete' ? { ...state, dialog: { ...state.dialog, busy: true, error: null } } : state;
    case 'deleted':
      return { ...state, rows: { kind: 'loaded', rows: action.rows }, dialog: { kind: 'none' }, done: `${action.name} deleted, with its default alias.` };
    case 'deleteRefused':
      return state.dialog.kind === 'delete' ? { ...state, dialog: { ...state.dialog, busy: false, error: action.error } } : state;
    case 'added': {
      const rows = rowsOf(state).some((row) => row.id === action.view.id) ? rowsOf(state) : [...rowsOf(state), action.view];
      return { ...state, rows: { kind: 'loaded', rows }, dialog: { kind: 'details', id: action.view.id } };
    }
    case 'closeDialog':
      return { ...state, dialog: { kind: 'none' } };
    case 'checkStarted':
      return { ...state, checking: [...state.checking.filter((id) => id !== action.id), action.id], checkRefused: null, done: null };
    case 'checked': {
      const rows = rowsOf(state).map((row) => (row.id === action.row.id ? action.row : row));
      return {
        ...state,
        rows: { kind: 'loaded', rows },
        checking: state.checking.filter((id) => id !== action.row.id),
        // A failed check is said by the row's red cross, with why.
        done: action.row.status?.ok === true ? `${action.row.configurationName} checked: its mail is fetched.` : null,
      };
    }
    case 'checkRefused':
      return { ...state, checking: state.checking.filter((id) => id !== action.id), checkRefused: action.error };
    default:
      return assertNever(action);
  }
}

/** The status cell: a green tick, a red cross with why, or not checked yet. */
export type RowStatus =
  | { readonly tone: 'ok'; readonly text: string }
  | { readonly tone: 'failed'; readonly text: string; readonly why: string; readonly fix: string | null }
  | { readonly tone: 'unknown'; readonly text: string };

export function rowStatus(row: IntegrationCredentialView): RowStatus {
  const { status } = row;
  if (status === null) return { tone: 'unknown', text: 'Not checked yet' };
  if (status.ok) {
    return row.stale ? { tone: 'failed', text: 'No mail fetched lately', why: 'No successful fetch for 3 check intervals.', fix: null } : { tone: 'ok', text: 'Connected' };
  }
  const why = status.error?.message ?? 'The last check failed.';
  return { tone: 'failed', text: 'Not connected', why, fix: status.error?.fix ?? null };
}

/** What the built-in mailboxes are called, and where each is edited. */
export function whereEdited(row: IntegrationCredentialView): string {
  switch (row.kind) {
    case 'sendDirect':
      return `${mailboxNames.send} is edited in the ${mailboxNames.send} section of this window.`;
    case 'leadInbox':
      return `The ${mailboxNames.lead} is edited with the gear button of its section in this window (${inboxDialogTitles.lead}).`;
    case 'serviceDeskInbox':
      return `The ${mailboxNames.serviceDesk} is edited with the gear button of its section in this window (${inboxDialogTitles.serviceDesk}).`;
    case 'integration':
      return 'Edited here, in Details.';
    default:
      return assertNever(row.kind);
  }
}

/** A time for the table, in the user's words: "Never" until the first success. */
export function lastFetchText(at: string | null): string {
  if (at === null) return 'Never';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
