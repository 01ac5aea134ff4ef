import type { FormEvent, ReactNode } from 'react';
import { integrationLabels } from '../../shared/integration';
import { authMethodLabels, authMethods } from '../../shared/mail-server';
import { Button } from '../components/Buttons';
import { CheckboxField, Field, TextField } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { useModalDialog } from '../components/use-modal-dialog';
import { SaveBar } from '../mail-account/SaveBar';
import type { SaveState } from '../mail-account/save-state';
import type { IntegrationDraft, IntegrationField, IntegrationFormMode, IntegrationTestState } from './integration-form-state';
import { IntegrationTestPanel } from './IntegrationTestPanel';

export interface IntegrationFormDialogProps {
  readonly mode: IntegrationFormMode;
  readonly draft: IntegrationDraft;
  readonly errors: Readonly<Partial<Record<IntegrationField, string>>>;
  readonly save: SaveState;
  readonly dirty: boolean;
  readonly test: IntegrationTestState;
  /** Why Test Connection cannot run yet, or null when it can. */
  readonly notReadyReason: string | null;
  /** Details: the form names another mailbox, host or port than the stored password's. */
  readonly destinationChanged: boolean;
  /** "Password changed…", after Change Password. */
  readonly notice: string | null;
  readonly onEdit: (field: IntegrationField, value: string | boolean) => void;
  readonly onLeave: (field: IntegrationField) => void;
  readonly onTest: () => void;
  readonly onSave: () => void;
  readonly onChangePassword: () => void;
  readonly onClose: () => void;
  /** Details: the mailbox's aliases; null in New Email Integration. */
  readonly aliases: ReactNode;
  /** Change Password, over this dialog. */
  readonly subDialog: ReactNode;
  /** Modern Authentication chosen: the saved mailbox's sign-in panel, or why it must be saved first. */
  readonly modernAuth: ReactNode;
}

const idPrefix = 'integration';

/**
 * New Email Integration, and an added mailbox's Email Integration form (seed 002): Mailbox, Password (New
 * only: an existing credential's is hidden, and changed in the Action Center), Host, Port, Use Secure
 * Connection, Configuration Name, Description, then Test Connection and Save.
 */
export function IntegrationFormDialog(props: Readonly<IntegrationFormDialogProps>) {
  const { mode, draft, errors } = props;
  const { dialogRef, cancel } = useModalDialog(props.onClose);
  const titleId = `${idPrefix}-form-title`;
  const isNew = mode.kind === 'new';
  const usesPassword = draft.authMethod === 'password';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    props.onSave();
  };

  const text = (field: Exclude<IntegrationField, 'secure' | 'authMethod'>, extra: { type?: 'email' | 'password'; hint?: string; className?: string; inputMode?: 'numeric' | 'email' } = {}) => (
    <TextField
      id={`${idPrefix}-${field}`}
      label={integrationLabels[field]}
      required
      value={String(draft[field])}
      error={errors[field]}
      onChange={(value) => props.onEdit(field, value)}
      onBlur={() => props.onLeave(field)}
      {...(extra.type === undefined ? {} : { type: extra.type })}
      {...(extra.hint === undefined ? {} : { hint: extra.hint })}
      {...(extra.className === undefined ? {} : { className: extra.className })}
      {...(extra.inputMode === undefined ? {} : { inputMode: extra.inputMode })}
      {...(extra.type === 'password' ? { autoComplete: 'new-password' } : {})}
    />
  );

  return (
    <dialog ref={dialogRef} className="modal modal--inbox modal--integration-form" aria-labelledby={titleId} onCancel={cancel}>
      <form className="inbox-dialog form" noValidate onSubmit={submit} aria-busy={props.save.kind === 'saving'}>
        <h2 className="modal__title inbox-dialog__title" id={titleId} tabIndex={-1} data-autofocus>
          {isNew ? 'New Email Integration' : `Email Integration: ${mode.saved.configurationName}`}
        </h2>
        {!isNew && usesPassword && (
          <div className="action-center" role="group" aria-label="Action Center">
            <span className="action-center__label" aria-hidden="true">
              Action Center
            </span>
            <Button onClick={props.onChangePassword}>Change Password</Button>
          </div>
        )}
        {props.notice !== null && (
          <p className="status status--success" role="status">
            {props.notice}
          </p>
        )}
        <RequiredLegend />
        <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}-account-title`}>
          <h3 className="inbox-dialog__group-title" id={`${idPrefix}-account-title`}>
            E-mail account
          </h3>
          {text('mailbox', {
            type: 'email',
            inputMode: 'email',
            hint: 'The mailbox’s own email address, not an alias of it. Its default alias is created with it.',
          })}
          <Field id={`${idPrefix}-authMethod`} label={integrationLabels.authMethod} error={errors.authMethod}>
            {(control) => (
              <select {...control} className="input select" value={draft.authMethod} onChange={(event) => props.onEdit('authMethod', event.currentTarget.value)}>
                {authMethods.map((method) => (
                  <option key={method} value={method}>
                    {authMethodLabels[method]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {props.modernAuth}
          {isNew && usesPassword && text('password', { type: 'password', hint: 'Kept in your system keychain, never in a settings file. Turn multi-factor authentication off for this account.' })}
          {!isNew && usesPassword && (
            <p className="inbox-dialog__sentence" id={`${idPrefix}-password-hidden`}>
              {integrationLabels.password}: hidden. {mode.hasPassword ? 'One is stored in your system keychain.' : 'None is stored.'} To change it, use Change Password in the Action Center.
            </p>
          )}
          {text('host', { hint: 'The IMAP mail host of your provider, for example outlook.office365.com.' })}
          {text('port', { className: 'input--port', inputMode: 'numeric' })}
          <CheckboxField
            id={`${idPrefix}-secure`}
            label={integrationLabels.secure}
            checked={draft.secure}
            hint="IMAP over TLS, the usual setting with port 993. Clear it only for a server that takes plain IMAP (STARTTLS is used when it offers it)."
            onChange={(checked) => props.onEdit('secure', checked)}
          />
          {props.destinationChanged && (
            <p className="note" role="note">
              Saving with a new Mailbox, Host or Port removes the stored password: it is only ever sent where it was saved for. Use Change Password
              afterwards.
            </p>
          )}
        </section>
        <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}-naming-title`}>
          <h3 className="inbox-dialog__group-title" id={`${idPrefix}-naming-title`}>
            In lists
          </h3>
          {text('configurationName', { hint: 'Shown in lists: give a hint of the mailbox, for example Sales mailbox.' })}
          {text('description')}
        </section>
        <IntegrationTestPanel test={props.test} notReadyReason={props.notReadyReason} onTest={props.onTest} />
        <SaveBar save={props.save} dirty={props.dirty} cancelDisabled={false} onCancel={props.onClose} />
      </form>
      {/* Outside the settings form: the aliases have their own Add form, and forms must not nest. */}
      {props.aliases !== null && <div className="inbox-dialog integration-aliases">{props.aliases}</div>}
      {props.subDialog}
    </dialog>
  );
}
