import type { AppError } from '../../shared/errors';
import type { InboxRecordDetail, InboxRecordFields, InboxRecordSummary } from '../../shared/inbox';
import { assertNever } from '../assert-never';

/**
 * An inbox's records view: the recent records, and one record opened with its fields, its body and its
 * original message. Pure, so the module's container only wires it to the API and to main's events.
 */

export type RecordsList =
  | { readonly kind: 'loading' }
  | { readonly kind: 'loadFailed'; readonly error: AppError }
  | { readonly kind: 'loaded'; readonly records: readonly InboxRecordSummary[] };

/** How an opened record's message is shown: its text, its HTML (in a sandboxed frame), or its source. */
export const bodyViews = ['text', 'html', 'source'] as const;
export type BodyView = (typeof bodyViews)[number];

export const bodyViewLabels: Readonly<Record<BodyView, string>> = { text: 'Text', html: 'HTML', source: 'Source' };

export type OpenRecord =
  | { readonly kind: 'closed' }
  | { readonly kind: 'loading'; readonly id: number }
  | { readonly kind: 'loadFailed'; readonly id: number; readonly error: AppError }
  | { readonly kind: 'open'; readonly record: InboxRecordDetail; readonly view: BodyView };

export interface RecordsState {
  readonly list: RecordsList;
  readonly opened: OpenRecord;
}

export type RecordsAction =
  | { readonly type: 'listLoaded'; readonly records: readonly InboxRecordSummary[] }
  | { readonly type: 'listFailed'; readonly error: AppError }
  | { readonly type: 'openStarted'; readonly id: number }
  | { readonly type: 'opened'; readonly record: InboxRecordDetail }
  | { readonly type: 'openFailed'; readonly id: number; readonly error: AppError }
  | { readonly type: 'chooseView'; readonly view: BodyView }
  | { readonly type: 'close' };

export const initialRecordsState: RecordsState = { list: { kind: 'loading' }, opened: { kind: 'closed' } };

export function recordsReducer(state: RecordsState, action: RecordsAction): RecordsState {
  switch (action.type) {
    case 'listLoaded':
      return { ...state, list: { kind: 'loaded', records: action.records } };
    case 'listFailed':
      // A refresh that failed keeps the records already shown; only a first load shows the failure.
      return state.list.kind === 'loaded' ? state : { ...state, list: { kind: 'loadFailed', error: action.error } };
    case 'openStarted':
      return { ...state, opened: { kind: 'loading', id: action.id } };
    case 'opened':
      // An answer for a record the user has already left is not shown.
      if (state.opened.kind !== 'loading' || state.opened.id !== action.record.id) return state;
      return { ...state, opened: { kind: 'open', record: action.record, view: 'text' } };
    case 'openFailed':
      if (state.opened.kind !== 'loading' || state.opened.id !== action.id) return state;
      return { ...state, opened: { kind: 'loadFailed', id: action.id, error: action.error } };
    case 'chooseView':
      return state.opened.kind === 'open' ? { ...state, opened: { ...state.opened, view: action.view } } : state;
    case 'close':
      return { ...state, opened: { kind: 'closed' } };
    default:
      return assertNever(action);
  }
}

/** The body views a record has: HTML only when the message had an HTML part. */
export function bodyViewsOf(record: InboxRecordDetail): readonly BodyView[] {
  return record.html === null ? bodyViews.filter((view) => view !== 'html') : bodyViews;
}

export const recordFieldLabels: Readonly<Record<keyof InboxRecordFields, string>> = {
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  company: 'Company',
  message: 'Message',
};

const fieldOrder: readonly (keyof InboxRecordFields)[] = ['name', 'email', 'phone', 'company', 'message'];

/** The parsed fields a record has, in a fixed order, as label and value. */
export function parsedFieldsOf(fields: InboxRecordFields): readonly { readonly label: string; readonly value: string }[] {
  return fieldOrder.flatMap((field) => {
    const value = fields[field];
    return value === undefined || value.trim() === '' ? [] : [{ label: recordFieldLabels[field], value }];
  });
}

/** "Ada Lovelace <ada@example.com>", or whichever part the message had. */
export function senderOf(record: Pick<InboxRecordSummary, 'fromName' | 'fromAddress'>): string {
  const { fromName, fromAddress } = record;
  if (fromName && fromAddress) return `${fromName} <${fromAddress}>`;
  return fromName ?? fromAddress ?? 'Unknown sender';
}

/** The message's date in the user's words; "No date" when the message had none. */
export function recordDate(iso: string | null): string {
  if (iso === null) return 'No date';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The HTML body as the document of a sandboxed frame: the frame runs no script and has no origin
 * (sandbox=""), and this policy, inside the document, forbids anything remote: only inline styles and
 * images carried in the message itself (data:, cid:) may show.
 */
export function sandboxedHtmlDocument(html: string): string {
  const policy = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'";
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}"></head><body>${html}</body></html>`;
}
