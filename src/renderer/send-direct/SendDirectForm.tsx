import type { FormEvent, ReactNode } from 'react';
import { authMethodLabels, authMethods, securityLabels, securityModes, type AuthMethod, type SecurityMode } from '../../shared/mail-server';
import { sendDirectLabels } from '../../shared/send-direct';
import { ChoiceField } from '../components/ChoiceField';
import { CheckboxField, Field, TextField, WarningIcon } from '../components/Field';
import { RequiredLegend } from '../components/Required';
import { ChangePasswordDialog } from '../mail-account/ChangePasswordDialog';
import type { ChangePasswordField } from '../mail-account/password-state';
import { PasswordField } from '../mail-account/PasswordField';
import { SaveBar } from '../mail-account/SaveBar';
import { isNewPasswordDestination, usesPassword, type FormState, type MessageField, type TextField as DraftTextField } from './send-direct-state';

export interface SendDirectFormProps {
  readonly form: FormState;
  readonly dirty: boolean;
  readonly onEdit: (field: DraftTextField, value: string) => void;
  readonly onChooseAuthMethod: (value: AuthMethod) => void;
  readonly onChooseSecurity: (value: SecurityMode) => void;
  readonly onAllowInsecureAuth: (value: boolean) => void;
  readonly onBlur: (field: MessageField) => void;
  readonly onTypePassword: (value: string) => void;
  readonly onOpenChangePassword: () => void;
  readonly onRemovePassword: () => void;
  readonly onKeepPassword: () => void;
  readonly onEditChangePassword: (field: ChangePasswordField, value: string) => void;
  readonly onConfirmChangePassword: () => void;
  readonly onCloseDialog: () => void;
  readonly onSave: () => void;
  readonly onCancel: () => void;
  /** The sign-in row, shown under the Authentication method when it is a Modern one. */
  readonly modernAuth: ReactNode;
  /** Test Connection, under the connection fields. */
  readonly connectionTest: ReactNode;
  /** What follows the form (Send a test email), outside it. */
  readonly children?: ReactNode;
}

/** The Send Direct fields in seed 000's order and wording, with the save bar under them. */
export function SendDirectForm(props: Readonly<SendDirectFormProps>) {
  const { form, dirty } = props;
  const { draft, errors } = form;
  const saving = form.save.kind === 'saving';
  const text = (field: DraftTextField) => ({
    id: `send-direct-${field}`,
    label: sendDirectLabels[field],
    required: true,
    value: draft[field],
    error: errors[field],
    onChange: (value: string) => props.onEdit(field, value),
    onBlur: () => props.onBlur(field),
  });

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    // Nothing is ever posted: Save goes through the API (and the CSP forbids form targets anyway).
    event.preventDefault();
    props.onSave();
  };

  return (
    <>
      <form className="form" noValidate onSubmit={submit} aria-busy={saving}>
        {form.saved.encryptionTurnedOn && (
          <div className="notice" role="note">
            <WarningIcon />
            <p>
              Your settings sent your password without encryption, so Mail Settings switched SSL to STARTTLS. Click Test Connection: if
              your server cannot encrypt, choose None and tick “{sendDirectLabels.allowInsecureAuth}”, knowing that anyone on the network
              path could read it. This note goes away when you save.
            </p>
          </div>
        )}
        <RequiredLegend />
        <p className="form__group-intro">The main server configuration typically is the same as your Outlook account</p>
        <TextField {...text('serverName')} placeholder="smtp.example.com" />
        <TextField {...text('senderName')} autoComplete="name" />
        <TextField {...text('senderAddress')} type="email" inputMode="email" autoComplete="email" placeholder="name@example.com" />

        <p className="form__group-intro">If your outgoing server requires authentication, enter the login details</p>
        <TextField
          {...text('userName')}
          autoComplete="username"
          hint={usesPassword(draft) ? undefined : 'The email address of the mailbox you sign in with.'}
        />
        {usesPassword(draft) && (
          <PasswordField
            id="send-direct-password"
            label={sendDirectLabels.password}
            passwordStored={form.saved.passwordStored}
            storedForServer={isNewPasswordDestination(form) ? (form.saved.settings?.serverName ?? null) : null}
            change={form.password}
            error={errors.password}
            onType={props.onTypePassword}
            onBlur={() => props.onBlur('password')}
            onChangePassword={props.onOpenChangePassword}
            onRemovePassword={props.onRemovePassword}
            onKeepPassword={props.onKeepPassword}
          />
        )}
        <Field id="send-direct-authMethod" label={sendDirectLabels.authMethod} error={errors.authMethod}>
          {(control) => (
            <select
              {...control}
              className="input select"
              value={draft.authMethod}
              onChange={(event) => props.onChooseAuthMethod(event.currentTarget.value as AuthMethod)}
            >
              {authMethods.map((method) => (
                <option key={method} value={method}>
                  {authMethodLabels[method]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {!usesPassword(draft) && props.modernAuth}
        <TextField {...text('port')} inputMode="numeric" className="input--port" hint="Usually 587 with STARTTLS, or 465 with SSL/TLS." />
        <ChoiceField
          id="send-direct-security"
          name="security"
          label={sendDirectLabels.security}
          value={draft.security}
          options={securityModes}
          labelOf={(mode) => securityLabels[mode]}
          error={errors.security}
          onChange={props.onChooseSecurity}
        />
        {draft.security === 'none' && (
          <CheckboxField
            id="send-direct-allowInsecureAuth"
            label={sendDirectLabels.allowInsecureAuth}
            checked={draft.allowInsecureAuth}
            hint={
              draft.allowInsecureAuth
                ? 'Your password goes to this server unencrypted: anyone on the network path can read it. Only for a server on your own network.'
                : 'Left empty, Mail Settings never sends your password unencrypted. Choose STARTTLS or SSL/TLS if your server offers it.'
            }
            onChange={props.onAllowInsecureAuth}
          />
        )}
        {props.connectionTest}

        <p className="note">
          <strong>NOTE:</strong> Irrespective of whether you use Outlook or Legrand CRM to send out emails, copies of the emails will be
          created as Activity Notes in Legrand CRM only if you specified that option at the time of sending the email.
        </p>

        <SaveBar save={form.save} dirty={dirty} cancelDisabled={!dirty} onCancel={props.onCancel} />
      </form>
      {/* Outside the form: the dialog has its own form, and forms must not nest. */}
      {form.dialog.kind === 'changePassword' && (
        <ChangePasswordDialog
          draft={form.dialog}
          serverDescription="your outgoing mail server"
          onEdit={props.onEditChangePassword}
          onConfirm={props.onConfirmChangePassword}
          onCancel={props.onCloseDialog}
        />
      )}
      {props.children}
    </>
  );
}
