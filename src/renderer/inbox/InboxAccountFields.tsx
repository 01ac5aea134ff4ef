import type { ReactNode } from 'react';
import { inboxLabels } from '../../shared/inbox';
import { authMethodLabels, authMethods, securityLabels, securityModes, type AuthMethod, type SecurityMode } from '../../shared/mail-server';
import { ChoiceField } from '../components/ChoiceField';
import { CheckboxField, Field, TextField } from '../components/Field';
import { PasswordField } from '../mail-account/PasswordField';
import { isNewPasswordDestination, offersSharedMailbox, usesPassword, type InboxFormState, type InboxMessageField, type InboxTextField } from './inbox-form-state';
import { SharedMailboxFields } from './SharedMailboxFields';

export interface InboxAccountFieldsProps {
  readonly idPrefix: string;
  readonly form: InboxFormState;
  readonly onEdit: (field: InboxTextField, value: string) => void;
  readonly onChooseSecurity: (value: SecurityMode) => void;
  readonly onChooseAuthMethod: (value: AuthMethod) => void;
  readonly onAllowInsecureAuth: (value: boolean) => void;
  readonly onChooseSharedMailbox: (value: boolean) => void;
  readonly onBlur: (field: InboxMessageField) => void;
  readonly onTypePassword: (value: string) => void;
  readonly onOpenChangePassword: () => void;
  readonly onRemovePassword: () => void;
  readonly onKeepPassword: () => void;
  /** The Modern Authentication sign-in under the Authentication method, when one is chosen. */
  readonly modernAuth: ReactNode;
  /** Test Connection, under the fields. */
  readonly connectionTest: ReactNode;
}

/**
 * E-MAIL ACCOUNT (seed 000): Mail Server, Use SSL with the port following it, Username, Password and the
 * Authentication method: Normal Password, or Modern Authentication (Office 365 in the sign-in popup,
 * Google in the system browser) with the inbox's own sign-in (IMAP scopes), as in Send Direct. With
 * Office 365, "This is a shared mailbox": a member signs in and the inbox reads the shared address.
 */
export function InboxAccountFields(props: Readonly<InboxAccountFieldsProps>) {
  const { idPrefix, form } = props;
  const { draft, errors } = form;
  // A shared mailbox's Username is the member who signs in, not the mailbox read.
  const member = offersSharedMailbox(draft) && draft.sharedMailboxChosen;
  const text = (field: InboxTextField) => ({
    id: `${idPrefix}-${field}`,
    label: inboxLabels[field],
    required: true,
    value: draft[field],
    error: errors[field],
    onChange: (value: string) => props.onEdit(field, value),
    onBlur: () => props.onBlur(field),
  });
  return (
    <>
      <TextField {...text('serverName')} placeholder="imap.example.com" />
      <ChoiceField
        id={`${idPrefix}-security`}
        name={`${idPrefix}-security`}
        label={inboxLabels.security}
        value={draft.security}
        options={securityModes}
        labelOf={(mode) => securityLabels[mode]}
        error={errors.security}
        onChange={props.onChooseSecurity}
      />
      <TextField {...text('port')} inputMode="numeric" className="input--port" hint="993 with SSL/TLS; 143 with STARTTLS or None." />
      {draft.security === 'none' && (
        <CheckboxField
          id={`${idPrefix}-allowInsecureAuth`}
          label={inboxLabels.allowInsecureAuth}
          checked={draft.allowInsecureAuth}
          hint={
            draft.allowInsecureAuth
              ? 'Your password goes to this server unencrypted: anyone on the network path can read it. Only for a server on your own network.'
              : 'Left empty, Mail Settings never sends your password unencrypted. Choose STARTTLS or SSL/TLS if your server offers it.'
          }
          onChange={props.onAllowInsecureAuth}
        />
      )}
      <TextField
        {...text('userName')}
        autoComplete="username"
        placeholder={member ? 'you@yourcompany.com' : 'sales@yourcompany.com'}
        hint={member ? 'Your own address: the member of the shared mailbox who signs in.' : undefined}
      />
      {usesPassword(draft) && (
        <PasswordField
          id={`${idPrefix}-password`}
          label={inboxLabels.password}
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
      <Field id={`${idPrefix}-authMethod`} label={inboxLabels.authMethod} error={errors.authMethod}>
        {(control) => (
          <select {...control} className="input select" value={draft.authMethod} onChange={(event) => props.onChooseAuthMethod(event.currentTarget.value as AuthMethod)}>
            {authMethods.map((method) => (
              <option key={method} value={method}>
                {authMethodLabels[method]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {offersSharedMailbox(draft) && (
        <SharedMailboxFields
          idPrefix={idPrefix}
          chosen={draft.sharedMailboxChosen}
          address={draft.sharedMailbox}
          error={errors.sharedMailbox}
          onChoose={props.onChooseSharedMailbox}
          onEdit={(value) => props.onEdit('sharedMailbox', value)}
          onBlur={() => props.onBlur('sharedMailbox')}
        />
      )}
      {props.modernAuth}
      {props.connectionTest}
    </>
  );
}
