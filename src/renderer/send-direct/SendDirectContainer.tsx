import { useCallback, useEffect, useReducer } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { SendDirectSettings } from '../../shared/send-direct';
import { assertNever } from '../assert-never';
import { callSafely } from '../call-safely';
import { Button } from '../components/Buttons';
import { WarningIcon } from '../components/Field';
import { useAfterPointer } from '../components/use-after-pointer';
import { useNow } from '../components/use-now';
import { useUnsavedChangesGuard } from '../components/use-unsaved-changes-guard';
import { connectionTestShown } from '../mail-account/connection-test-state';
import { ConnectionTestPanel } from '../mail-account/ConnectionTestPanel';
import { MailboxModernAuthPanel } from '../mail-account/MailboxModernAuthPanel';
import { modernProviderOf } from '../mail-account/modern-auth-state';
import { useConnectionTest } from '../mail-account/use-connection-test';
import { useModernAuth } from '../mail-account/use-modern-auth';
import { connectionReadiness } from './send-direct-connection';
import { SendDirectForm } from './SendDirectForm';
import { initialLoadState, isDirty, passwordToSend, sendDirectReducer, validateForSave, type FormState } from './send-direct-state';
import { TestEmailDialog, TestEmailSection } from './TestEmailDialog';
import { useTestEmail } from './use-test-email';

export interface SendDirectContainerProps {
  readonly api: MailSettingsApi;
}

/**
 * Holds the Send Direct state and talks to main: loads on mount, follows `sendDirectChanged`, validates
 * with the shared schema before Save and shows what main answers; signs in with Modern Authentication,
 * tests the connection with the form's values and sends test emails with the saved ones. Everything
 * visible is in the presentational components.
 */
export function SendDirectContainer({ api }: Readonly<SendDirectContainerProps>) {
  const [state, dispatch] = useReducer(sendDirectReducer, initialLoadState);
  const afterPointer = useAfterPointer();
  const modernAuth = useModernAuth(api, 'send');
  const connectionTest = useConnectionTest<SendDirectSettings>({
    test: (settings, password) => api.testSendDirect({ settings, password }),
    trust: (settings, fingerprint256) => api.trustCertificate({ settings, fingerprint256 }),
  });
  const testEmail = useTestEmail(api);
  const now = useNow();
  useUnsavedChangesGuard(state.kind === 'ready' && isDirty(state.form));

  const fetchView = useCallback(async () => {
    const result = await callSafely(() => api.getSendDirect({}));
    dispatch(result.ok ? { type: 'loaded', view: result.value } : { type: 'loadFailed', error: result.error });
  }, [api]);

  useEffect(() => {
    void fetchView();
    return api.on('sendDirectChanged', (view) => dispatch({ type: 'changedElsewhere', view }));
  }, [api, fetchView]);

  const retry = (): void => {
    dispatch({ type: 'reloading' });
    void fetchView();
  };

  const save = async (): Promise<void> => {
    if (state.kind !== 'ready' || state.form.save.kind === 'saving') return;
    const current = state;
    const checked = validateForSave(current.form);
    if (!checked.ok) {
      dispatch({ type: 'saveRejectedLocally', errors: checked.errors });
      focusFirstInvalidField();
      return;
    }
    dispatch({ type: 'saving' });
    const result = await callSafely(() => api.saveSendDirect({ settings: checked.settings, password: passwordToSend(current.form) }));
    if (result.ok) {
      dispatch({ type: 'saveSucceeded', view: result.value });
    } else {
      dispatch({ type: 'saveFailed', error: result.error });
      focusFirstInvalidField();
    }
  };

  switch (state.kind) {
    case 'loading':
      return (
        <p className="section__placeholder" role="status">
          Loading your mail settings…
        </p>
      );
    case 'loadFailed':
      return (
        <div className="load-failed" role="alert" data-error-code={state.error.code}>
          <WarningIcon />
          <div>
            <p className="status__message">{state.error.message}</p>
            {state.error.fix !== undefined && <p className="status__fix">{state.error.fix}</p>}
            <Button onClick={retry}>Try again</Button>
          </div>
        </div>
      );
    case 'ready': {
      const { form } = state;
      const dirty = isDirty(form);
      const account = modernAuth.state.account;
      const readiness = connectionReadiness(form, { status: account?.status ?? null, username: account?.username ?? null });
      const provider = modernProviderOf(form.draft.authMethod);
      return (
        <SendDirectForm
          form={form}
          dirty={dirty}
          onEdit={(field, value) => dispatch({ type: 'edit', field, value })}
          onChooseAuthMethod={(value) => dispatch({ type: 'chooseAuthMethod', value })}
          onChooseSecurity={(value) => dispatch({ type: 'chooseSecurity', value })}
          onAllowInsecureAuth={(value) => dispatch({ type: 'setAllowInsecureAuth', value })}
          onBlur={(field) => afterPointer(() => dispatch({ type: 'blur', field }))}
          onTypePassword={(value) => dispatch({ type: 'typePassword', value })}
          onOpenChangePassword={() => dispatch({ type: 'openChangePassword' })}
          onRemovePassword={() => dispatch({ type: 'removePassword' })}
          onKeepPassword={() => dispatch({ type: 'keepPassword' })}
          onEditChangePassword={(field, value) => dispatch({ type: 'editChangePassword', field, value })}
          onConfirmChangePassword={() => dispatch({ type: 'confirmChangePassword' })}
          onCloseDialog={() => dispatch({ type: 'closeDialog' })}
          onSave={() => void save()}
          onCancel={() => dispatch({ type: 'discard' })}
          modernAuth={
            provider !== null && (
              <MailboxModernAuthPanel
                idPrefix="send-direct"
                provider={provider}
                modernAuth={modernAuth}
                userName={form.draft.userName}
                now={now}
                onSignedIn={(signedIn) => {
                  if (signedIn.username) dispatch({ type: 'signedIn', username: signedIn.username });
                }}
              />
            )
          }
          connectionTest={
            <ConnectionTestPanel
              idPrefix="send-direct"
              test={connectionTestShown(connectionTest.state, readiness.key)}
              readyHint="Uses the values in this form, saved or not. Nothing is sent."
              testingText="Testing the connection to your mail server…"
              notReadyReason={readiness.ready ? null : readiness.reason}
              onTest={() => {
                if (readiness.ready) connectionTest.run(readiness.key, readiness.settings, readiness.password);
              }}
              onTrust={connectionTest.trust}
            />
          }
        >
          <TestEmailSection disabledReason={testEmailDisabledReason(form, dirty)} onOpen={() => testEmail.open(form.saved.settings?.senderAddress ?? '')} />
          {testEmail.state.kind === 'open' && (
            <TestEmailDialog
              draft={testEmail.state.draft}
              attachments={testEmail.state.attachments}
              attaching={testEmail.state.attaching}
              errors={testEmail.state.errors}
              send={testEmail.state.send}
              onEdit={testEmail.edit}
              onSetActivityNote={testEmail.setActivityNote}
              onChooseAttachments={testEmail.chooseAttachments}
              onRemoveAttachment={testEmail.removeAttachment}
              onSend={testEmail.send}
              onClose={testEmail.close}
            />
          )}
        </SendDirectForm>
      );
    }
    default:
      return assertNever(state);
  }
}

/** Test emails are sent with the saved settings: say so while the form holds others. */
function testEmailDisabledReason(form: FormState, dirty: boolean): string | null {
  if (dirty) return 'Save first: test emails are sent with the saved settings, and this form has unsaved changes.';
  if (form.saved.settings === null) return 'Save first: test emails are sent with the saved settings, and nothing is saved yet.';
  return null;
}

/** After a refused Save, the keyboard goes to the first field that needs attention. */
function focusFirstInvalidField(): void {
  // After React has rendered the messages.
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>('.form [aria-invalid="true"]')?.focus();
  });
}
