import { useCallback, useEffect, useReducer } from 'react';
import type { AppError, MailSettingsApi } from '../../shared/contract';
import { ErrorCode } from '../../shared/errors';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { WarningIcon } from '../components/Field';
import { useAfterPointer } from '../components/use-after-pointer';
import { SendDirectForm } from './SendDirectForm';
import { initialLoadState, isDirty, passwordToSend, sendDirectReducer, validateForSave } from './send-direct-state';

export interface SendDirectContainerProps {
  readonly api: MailSettingsApi;
}

/**
 * Holds the Send Direct state and talks to main: loads on mount, follows `sendDirectChanged`, validates
 * with the shared schema before Save and shows what main answers. Everything visible is in the
 * presentational components.
 */
export function SendDirectContainer({ api }: Readonly<SendDirectContainerProps>) {
  const [state, dispatch] = useReducer(sendDirectReducer, initialLoadState);
  const afterPointer = useAfterPointer();

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
    case 'ready':
      return (
        <SendDirectForm
          form={state.form}
          dirty={isDirty(state.form)}
          onEdit={(field, value) => dispatch({ type: 'edit', field, value })}
          onChooseAuthMethod={(value) => dispatch({ type: 'chooseAuthMethod', value })}
          onChooseSecurity={(value) => dispatch({ type: 'chooseSecurity', value })}
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
        />
      );
    default:
      return assertNever(state);
  }
}

/**
 * The preload answers with Results, but the bridge itself can still reject (the window is closing, a value
 * could not be cloned): that becomes a Result too, so the form never gets stuck on "Saving…".
 */
async function callSafely<T>(call: () => Promise<{ ok: true; value: T } | { ok: false; error: AppError }>) {
  try {
    return await call();
  } catch {
    const error: AppError = {
      code: ErrorCode.Internal,
      message: 'Mail Settings could not reach its background service. Nothing was changed.',
      fix: 'Close the Mail Settings window and open it again.',
    };
    return { ok: false as const, error };
  }
}

/** After a refused Save, the keyboard goes to the first field that needs attention. */
function focusFirstInvalidField(): void {
  // After React has rendered the messages.
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>('.form [aria-invalid="true"]')?.focus();
  });
}
