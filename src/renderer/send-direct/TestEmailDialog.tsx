import { useRef, type FormEvent } from 'react';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { useModalDialog } from '../components/use-modal-dialog';
import { CheckboxField, FieldNotes, fieldDescription, TextAreaField, TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { useFocusFallback } from '../components/use-focus-fallback';
import { ErrorBox, SuccessBox } from '../components/StatusBox';
import type { ChosenAttachment } from '../../shared/test-email';
import { attachmentSizeLabel, type SendState, type TestEmailDraft, type TestEmailErrors, type TestEmailField } from './test-email-state';

export interface TestEmailSectionProps {
  /** Why a test email can't be sent now (unsaved changes, nothing saved), or null. */
  readonly disabledReason: string | null;
  readonly onOpen: () => void;
}

/** Under the save bar: sending uses the saved settings, so it says so and waits for Save. */
export function TestEmailSection({ disabledReason, onOpen }: Readonly<TestEmailSectionProps>) {
  return (
    <div className="test-email" role="group" aria-labelledby="test-email-title">
      <div>
        <h3 className="test-email__title" id="test-email-title">
          Send a test email
        </h3>
        <p className="field__hint" id="test-email-hint">
          {disabledReason ?? 'Sends a message with the saved settings, as Legrand CRM will.'}
        </p>
      </div>
      {/* Reachable while unavailable, with the reason read out with it (WCAG 4.1.2 Name, Role, Value). */}
      <Button onClick={onOpen} disabled={disabledReason !== null} describedBy="test-email-hint">
        Send a test email…
      </Button>
    </div>
  );
}

export interface TestEmailDialogProps {
  readonly draft: TestEmailDraft;
  readonly attachments: readonly ChosenAttachment[];
  /** The open-file dialog is up. */
  readonly attaching: boolean;
  readonly errors: TestEmailErrors;
  readonly send: SendState;
  readonly onEdit: (field: TestEmailField, value: string) => void;
  readonly onSetActivityNote: (value: boolean) => void;
  readonly onChooseAttachments: () => void;
  readonly onRemoveAttachment: (handle: string) => void;
  readonly onSend: () => void;
  readonly onClose: () => void;
}

/**
 * The message to send: To, Subject, the HTML, attachments ("Attach files…" opens the system's dialog, in
 * main), and "Create a copy as an activity note" (seed 000).
 */
export function TestEmailDialog({
  draft,
  attachments,
  attaching,
  errors,
  send,
  onEdit,
  onSetActivityNote,
  onChooseAttachments,
  onRemoveAttachment,
  onSend,
  onClose,
}: Readonly<TestEmailDialogProps>) {
  const { dialogRef, cancel } = useModalDialog(onClose);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    onSend();
  };
  const sending = send.kind === 'sending';

  return (
    <dialog ref={dialogRef} className="modal modal--wide" aria-labelledby="test-email-dialog-title" onCancel={cancel}>
      <form className="modal__form" noValidate onSubmit={submit} aria-busy={sending}>
        <h2 className="modal__title" id="test-email-dialog-title">
          Send a test email
        </h2>
        <p className="modal__text">The message is sent with the saved Send Direct settings.</p>
        <RequiredLegend />
        <div className="modal__fields">
          <TextField
            id="test-email-to"
            label="To"
            inputMode="email"
            required
            value={draft.to}
            error={errors.to}
            hint="Separate several addresses with commas."
            onChange={(value) => onEdit('to', value)}
          />
          <TextField id="test-email-subject" label="Subject" required value={draft.subject} error={errors.subject} onChange={(value) => onEdit('subject', value)} />
          <TextAreaField
            id="test-email-html"
            label="Message (HTML)"
            required
            value={draft.html}
            error={errors.html}
            rows={7}
            hint="Images on this computer (a file path or a file: link in an <img> tag, at most 10 MB each) are included as embedded attachments."
            onChange={(value) => onEdit('html', value)}
          />
          <AttachmentsField attachments={attachments} attaching={attaching} error={errors.attachments} onChoose={onChooseAttachments} onRemove={onRemoveAttachment} />
          <CheckboxField id="test-email-activity-note" label="Create a copy as an activity note" checked={draft.activityNote} onChange={onSetActivityNote} />
        </div>
        <div role="status" aria-live="polite">
          <SendResult send={send} />
        </div>
        <div className="modal__actions">
          <Button variant="primary" type="submit" disabled={sending}>
            {sending ? 'Sending…' : 'Send'}
          </Button>
          <Button onClick={onClose}>Close</Button>
        </div>
      </form>
    </dialog>
  );
}

interface AttachmentsFieldProps {
  readonly attachments: readonly ChosenAttachment[];
  readonly attaching: boolean;
  readonly error: string | undefined;
  readonly onChoose: () => void;
  readonly onRemove: (handle: string) => void;
}

const attachmentsId = 'test-email-attachments';

/** The chosen files, each with Remove, and "Attach files…"; a refused file's message under them. */
function AttachmentsField({ attachments, attaching, error, onChoose, onRemove }: Readonly<AttachmentsFieldProps>) {
  const hint = 'Files on this computer, at most 10 MB each and 25 MB together with the images.';
  const { describedBy } = fieldDescription(attachmentsId, hint, error);
  const group = useRef<HTMLDivElement>(null);
  const attachButton = useRef<HTMLButtonElement>(null);
  // A removed file's Remove goes with it: the keyboard goes on from "Attach files…".
  useFocusFallback(group, attachButton, attachments.map((file) => file.handle).join('\n'));
  return (
    <div
      className={error === undefined ? 'field' : 'field field--invalid'}
      role="group"
      aria-labelledby={`${attachmentsId}-label`}
      aria-describedby={describedBy}
      ref={group}
    >
      <span className="field__label" id={`${attachmentsId}-label`}>
        Attachments
      </span>
      <div className="field__control">
        {attachments.length > 0 && (
          <ul className="attachments" aria-label="Attached files">
            {attachments.map((file) => (
              <li className="attachments__item" key={file.handle}>
                <span className="attachments__name">{file.name}</span>
                <span className="attachments__size">{attachmentSizeLabel(file.size)}</span>
                <button type="button" className="button button--link" aria-label={`Remove ${file.name}`} onClick={() => onRemove(file.handle)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <div>
          <Button onClick={onChoose} disabled={attaching} ref={attachButton}>
            {attaching ? 'Choosing files…' : 'Attach files…'}
          </Button>
        </div>
        <FieldNotes id={attachmentsId} hint={hint} error={error} />
      </div>
    </div>
  );
}

function SendResult({ send }: Readonly<{ send: SendState }>) {
  switch (send.kind) {
    case 'idle':
      return null;
    case 'sending':
      return <p className="status status--muted">Sending the test email…</p>;
    case 'sent':
      return (
        <SuccessBox>
          <p className="status__message">Test email sent.</p>
          {send.sent.inlineImages > 0 && (
            <p className="status__fix">
              {send.sent.inlineImages === 1 ? '1 image from this computer was embedded.' : `${send.sent.inlineImages} images from this computer were embedded.`}
            </p>
          )}
          {send.sent.activityNoteId !== null && <p className="status__fix">An activity note was created.</p>}
        </SuccessBox>
      );
    case 'failed':
      return <ErrorBox error={send.error} />;
    default:
      return assertNever(send);
  }
}
