import { useReducer, useRef, useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { IntegrationCredentialView } from '../../shared/integration';
import { integrationAccountOf } from '../../shared/accounts';
import { useAdminGate } from '../admin/use-admin-gate';
import { useNow } from '../components/use-now';
import { MailboxModernAuthPanel } from '../mail-account/MailboxModernAuthPanel';
import { modernProviderOf } from '../mail-account/modern-auth-state';
import { useModernAuth } from '../mail-account/use-modern-auth';
import { callSafely } from '../call-safely';
import { AliasesPanel } from './AliasesPanel';
import { initialIntegrationPasswordState, integrationPasswordErrors, integrationPasswordReducer } from './change-password-state';
import {
  checkIntegrationDraft,
  destinationChanged,
  existingIntegrationForm,
  integrationFormReducer,
  integrationTestReadiness,
  isIntegrationDirty,
  newIntegrationForm,
  shownIntegrationErrors,
  shownIntegrationTest,
  type IntegrationFormState,
} from './integration-form-state';
import { IntegrationFormDialog } from './IntegrationFormDialog';
import { IntegrationPasswordDialog } from './IntegrationPasswordDialog';
import { useAliases } from './use-aliases';

export interface IntegrationFormContainerProps {
  readonly api: MailSettingsApi;
  /** The added mailbox whose Details these are; null for New Email Integration. */
  readonly view: IntegrationCredentialView | null;
  /** New Email Integration was saved: the dashboard shows its Details from now on. */
  readonly onAdded: (view: IntegrationCredentialView) => void;
  readonly onClose: () => void;
}

function initialForm(view: IntegrationCredentialView | null): IntegrationFormState {
  return (view === null ? null : existingIntegrationForm(view)) ?? newIntegrationForm();
}

/**
 * New Email Integration and an added mailbox's Details: the form's state, Save (add or update), Test
 * Connection, Change Password and, once the mailbox exists, its aliases. Saving and changing are for
 * administrators: main refuses otherwise and the administrator's prompt opens.
 */
export function IntegrationFormContainer({ api, view, onAdded, onClose }: Readonly<IntegrationFormContainerProps>) {
  const [form, dispatch] = useReducer(integrationFormReducer, view, initialForm);
  const [password, dispatchPassword] = useReducer(integrationPasswordReducer, initialIntegrationPasswordState);
  const [changingPassword, setChangingPassword] = useState(false);
  const saving = useRef(false);
  const testing = useRef(false);
  const gate = useAdminGate();

  // A saved mailbox on Modern Authentication signs in on its own: `integration:<id>`, IMAP scopes.
  const accountId = integrationAccountOf(form.mode.kind === 'existing' ? form.mode.id : 'new');
  const modernAuth = useModernAuth(api, accountId, form.mode.kind === 'existing' ? form.mode.saved.configurationName : 'this mailbox');
  const account = form.mode.kind === 'existing' ? modernAuth.state.account : null;
  const now = useNow();
  const provider = modernProviderOf(form.draft.authMethod);
  const readiness = integrationTestReadiness(form, { status: account?.status ?? null, username: account?.username ?? null });
  const checked = checkIntegrationDraft(form.mode, form.draft);

  const save = async (): Promise<void> => {
    if (saving.current) return;
    const { settings } = checked;
    if (settings === null) {
      dispatch({ type: 'saveRejectedLocally' });
      return;
    }
    saving.current = true;
    dispatch({ type: 'saveStarted' });
    try {
      const { mode } = form;
      const result =
        mode.kind === 'new'
          ? await gate.run('Adding a mailbox to Email Integration', () => api.addIntegration({ settings, password: form.draft.password }))
          : await gate.run('Saving an Email Integration mailbox', () => api.updateIntegration({ id: mode.id, settings }));
      if (!result.ok) {
        dispatch({ type: 'saveFailed', error: result.error });
        return;
      }
      dispatch({ type: 'saved', view: result.value });
      if (mode.kind === 'new') onAdded(result.value);
    } finally {
      saving.current = false;
    }
  };

  const test = async (): Promise<void> => {
    if (!readiness.ready || testing.current) return;
    testing.current = true;
    const { key, settings, id } = readiness;
    dispatch({ type: 'testStarted', key });
    try {
      const result = await callSafely(() => api.testIntegration({ ...(id === null ? {} : { id }), settings, password: readiness.password }));
      dispatch(result.ok ? { type: 'testSucceeded', key, message: result.value.message } : { type: 'testFailed', key, error: result.error });
    } finally {
      testing.current = false;
    }
  };

  const changePassword = async (): Promise<void> => {
    const { mode } = form;
    if (mode.kind !== 'existing' || password.busy) return;
    const errors = integrationPasswordErrors(password);
    if (Object.keys(errors).length > 0) {
      dispatchPassword({ type: 'rejectedLocally', errors });
      return;
    }
    dispatchPassword({ type: 'started' });
    const { newPassword, confirmPassword } = password.draft;
    const result = await gate.run('Changing the password of an Email Integration mailbox', () =>
      api.changeIntegrationPassword({ id: mode.id, newPassword, confirmPassword }),
    );
    if (!result.ok) {
      dispatchPassword({ type: 'refused', error: result.error });
      return;
    }
    setChangingPassword(false);
    dispatch({ type: 'passwordChanged', view: result.value });
  };

  const openChangePassword = (): void => {
    dispatchPassword({ type: 'opened' });
    setChangingPassword(true);
  };

  const mailbox = form.mode.kind === 'existing' ? form.mode.saved.mailbox : '';

  return (
    <IntegrationFormDialog
      mode={form.mode}
      draft={form.draft}
      errors={shownIntegrationErrors(form)}
      save={form.save}
      dirty={isIntegrationDirty(form)}
      test={shownIntegrationTest(form, readiness.key)}
      notReadyReason={readiness.ready ? null : readiness.reason}
      destinationChanged={destinationChanged(form, checked.settings)}
      notice={form.notice}
      onEdit={(field, value) => dispatch({ type: 'edit', field, value })}
      onLeave={(field) => dispatch({ type: 'leave', field })}
      onTest={() => void test()}
      onSave={() => void save()}
      onChangePassword={openChangePassword}
      onClose={onClose}
      aliases={form.mode.kind === 'existing' ? <AliasesContainer api={api} credentialId={form.mode.id} mailbox={mailbox} /> : null}
      modernAuth={
        provider === null ? null : form.mode.kind === 'existing' && form.mode.saved.authMethod === form.draft.authMethod ? (
          <MailboxModernAuthPanel idPrefix="integration" provider={provider} modernAuth={modernAuth} userName={form.draft.mailbox} now={now} onSignedIn={() => undefined} />
        ) : (
          <p className="note" role="note" id="integration-sign-in-after-save">
            Save first: then “Sign in using Modern Authentication…” appears here. The sign-in belongs to the saved mailbox, and its tokens are kept in
            your system keychain.
          </p>
        )
      }
      subDialog={
        changingPassword && (
          <IntegrationPasswordDialog
            state={password}
            mailbox={mailbox}
            onEdit={(field, value) => dispatchPassword({ type: 'edit', field, value })}
            onConfirm={() => void changePassword()}
            onCancel={() => setChangingPassword(false)}
          />
        )
      }
    />
  );
}

function AliasesContainer({ api, credentialId, mailbox }: Readonly<{ api: MailSettingsApi; credentialId: string; mailbox: string }>) {
  const aliases = useAliases(api, credentialId);
  return (
    <AliasesPanel
      credentialId={credentialId}
      mailbox={mailbox}
      state={aliases.state}
      activityTypes={aliases.activityTypes}
      onEdit={aliases.edit}
      onChooseTarget={aliases.chooseTarget}
      onAdd={aliases.add}
      onDelete={aliases.remove}
      onRetry={aliases.reload}
    />
  );
}
