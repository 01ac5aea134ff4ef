import type { AppError } from '../../shared/errors';
import { fieldErrorsOf } from '../../shared/field-errors';
import { testEmailSchema, type ChosenAttachment, type SentEmail, type TestEmailInput } from '../../shared/test-email';
import { assertNever } from '../assert-never';

/**
 * "Send a test email": a message sent with the SAVED Send Direct settings (main reads them), with local
 * images embedded, files chosen with "Attach files…" (main's dialog; the window only holds their handles)
 * and, if ticked, a copy kept as an activity note (seed 000's NOTE).
 */

export interface TestEmailDraft {
  /** As typed: one or more addresses, separated by commas or semicolons. */
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly activityNote: boolean;
}
export type TestEmailField = 'to' | 'subject' | 'html';
/** A message per field, and one for the attachments (too many, or a file main refused). */
export type TestEmailErrors = Readonly<Partial<Record<TestEmailField | 'attachments', string>>>;

export type SendState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'sending' }
  | { readonly kind: 'sent'; readonly sent: SentEmail }
  | { readonly kind: 'failed'; readonly error: AppError };

export type TestEmailState =
  /** `lastDraft`, `lastAttachments`: the message written last time in this window, offered again. */
  | { readonly kind: 'closed'; readonly lastDraft: TestEmailDraft | null; readonly lastAttachments: readonly ChosenAttachment[] }
  | {
      readonly kind: 'open';
      readonly draft: TestEmailDraft;
      readonly attachments: readonly ChosenAttachment[];
      /** The open-file dialog is up. */
      readonly attaching: boolean;
      readonly errors: TestEmailErrors;
      readonly send: SendState;
    };

export type TestEmailAction =
  | { readonly type: 'open'; readonly to: string }
  | { readonly type: 'close' }
  | { readonly type: 'edit'; readonly field: TestEmailField; readonly value: string }
  | { readonly type: 'setActivityNote'; readonly value: boolean }
  | { readonly type: 'attaching' }
  | { readonly type: 'attached'; readonly files: readonly ChosenAttachment[] }
  | { readonly type: 'attachRefused'; readonly error: AppError }
  | { readonly type: 'removeAttachment'; readonly handle: string }
  | { readonly type: 'rejectedLocally'; readonly errors: TestEmailErrors }
  | { readonly type: 'sending' }
  | { readonly type: 'sent'; readonly sent: SentEmail }
  | { readonly type: 'failed'; readonly error: AppError };

export const initialTestEmailState: TestEmailState = { kind: 'closed', lastDraft: null, lastAttachments: [] };

/** A first message: to the sender address, with a short text to send as it is. */
function defaultDraft(to: string): TestEmailDraft {
  return {
    to,
    subject: 'Test email from Legrand CRM',
    html: '<p>This is a test email sent directly from Legrand CRM with the Send Direct settings.</p>',
    activityNote: false,
  };
}

export function testEmailReducer(state: TestEmailState, action: TestEmailAction): TestEmailState {
  switch (action.type) {
    case 'open':
      if (state.kind === 'open') return state;
      return { kind: 'open', draft: state.lastDraft ?? defaultDraft(action.to), attachments: state.lastAttachments, attaching: false, errors: {}, send: { kind: 'idle' } };
    case 'close':
      return state.kind === 'open' ? { kind: 'closed', lastDraft: state.draft, lastAttachments: state.attachments } : state;
    case 'edit':
      return changeOpen(state, (open) => {
        const draft = { ...open.draft, [action.field]: action.value };
        return { ...open, draft, errors: recheck(open.errors, draft, open.attachments), send: afterEdit(open.send) };
      });
    case 'setActivityNote':
      return changeOpen(state, (open) => ({ ...open, draft: { ...open.draft, activityNote: action.value }, send: afterEdit(open.send) }));
    case 'attaching':
      return changeOpen(state, (open) => ({ ...open, attaching: true }));
    case 'attached':
      return changeOpen(state, (open) => {
        // A file chosen again has the same handle (main keeps one per file): it is listed once.
        const known = new Set(open.attachments.map((file) => file.handle));
        const attachments = [...open.attachments, ...action.files.filter((file) => !known.has(file.handle))];
        return { ...open, attachments, attaching: false, errors: recheckAttachments(open.errors, open.draft, attachments), send: afterEdit(open.send) };
      });
    case 'attachRefused':
      return changeOpen(state, (open) => ({ ...open, attaching: false, errors: { ...open.errors, attachments: action.error.message } }));
    case 'removeAttachment':
      return changeOpen(state, (open) => {
        const attachments = open.attachments.filter((file) => file.handle !== action.handle);
        return { ...open, attachments, errors: recheckAttachments(open.errors, open.draft, attachments), send: afterEdit(open.send) };
      });
    case 'rejectedLocally':
      return changeOpen(state, (open) => ({ ...open, errors: action.errors, send: { kind: 'idle' } }));
    case 'sending':
      return changeOpen(state, (open) => ({ ...open, send: { kind: 'sending' } }));
    case 'sent':
      return changeOpen(state, (open) => ({ ...open, send: { kind: 'sent', sent: action.sent } }));
    case 'failed':
      return changeOpen(state, (open) => ({
        ...open,
        errors: { ...open.errors, ...testEmailFieldErrors(action.error.fieldErrors) },
        send: { kind: 'failed', error: action.error },
      }));
    default:
      return assertNever(action);
  }
}

type OpenState = Extract<TestEmailState, { kind: 'open' }>;

function changeOpen(state: TestEmailState, change: (open: OpenState) => OpenState): TestEmailState {
  return state.kind === 'open' ? change(state) : state;
}

/** A result or a failure describes the message as it was: an edit makes room for the next one. */
function afterEdit(send: SendState): SendState {
  return send.kind === 'sending' ? send : { kind: 'idle' };
}

/** Messages already shown are re-checked on every keystroke, so they go away once the value is right. */
function recheck(errors: TestEmailErrors, draft: TestEmailDraft, attachments: readonly ChosenAttachment[]): TestEmailErrors {
  const checked = validateTestEmail(draft, attachments);
  if (checked.ok) return {};
  const kept: Partial<Record<keyof TestEmailErrors, string>> = {};
  for (const field of Object.keys(errors) as (keyof TestEmailErrors)[]) {
    const message = checked.errors[field];
    if (message !== undefined) kept[field] = message;
  }
  return kept;
}

/** "12 KB", "3.4 MB": the size beside an attached file's name (1 KB = 1024 bytes, as file managers count). */
export function attachmentSizeLabel(bytes: number): string {
  const kilobytes = bytes / 1024;
  if (kilobytes < 1024) return `${Math.max(1, Math.round(kilobytes))} KB`;
  return `${(kilobytes / 1024).toFixed(1)} MB`;
}

export function recipientsOf(to: string): string[] {
  return to
    .split(/[,;\n]+/)
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

export type TestEmailValidation = { readonly ok: true; readonly email: TestEmailInput } | { readonly ok: false; readonly errors: TestEmailErrors };

/**
 * After the attachments changed: a refused file's message goes (it is about the last choice), the other
 * messages are re-checked, and "Attach at most 20 files" shows as soon as it is true.
 */
function recheckAttachments(errors: TestEmailErrors, draft: TestEmailDraft, attachments: readonly ChosenAttachment[]): TestEmailErrors {
  const checked = validateTestEmail(draft, attachments);
  const tooMany = checked.ok ? undefined : checked.errors.attachments;
  return { ...recheck(errors, draft, attachments), ...(tooMany === undefined ? {} : { attachments: tooMany }) };
}

/** The contract's schema decides, exactly as main will. */
export function validateTestEmail(draft: TestEmailDraft, attachments: readonly ChosenAttachment[] = []): TestEmailValidation {
  const email: TestEmailInput = {
    to: recipientsOf(draft.to),
    subject: draft.subject,
    html: draft.html,
    attachments: attachments.map((file) => file.handle),
    activityNote: draft.activityNote,
  };
  const parsed = testEmailSchema.safeParse(email);
  if (parsed.success) return { ok: true, email };
  return { ok: false, errors: testEmailFieldErrors(fieldErrorsOf(parsed.error)) };
}

/** Paths like `to.1` (the second recipient) belong to the To field. */
export function testEmailFieldErrors(fieldErrors: Readonly<Record<string, string>> | undefined): TestEmailErrors {
  const errors: Partial<Record<keyof TestEmailErrors, string>> = {};
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const head = path.split('.')[0];
    if (head === 'to' || head === 'subject' || head === 'html' || head === 'attachments') errors[head] ??= message;
  }
  return errors;
}
