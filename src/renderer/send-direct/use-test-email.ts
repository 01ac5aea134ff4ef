import { useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import { callSafely } from '../call-safely';
import { initialTestEmailState, testEmailReducer, validateTestEmail, type TestEmailField, type TestEmailState } from './test-email-state';

export interface TestEmailControls {
  readonly state: TestEmailState;
  open(to: string): void;
  close(): void;
  edit(field: TestEmailField, value: string): void;
  setActivityNote(value: boolean): void;
  /** "Attach files…": main's open-file dialog; the chosen files join the list. */
  chooseAttachments(): void;
  removeAttachment(handle: string): void;
  send(): void;
}

/** The container side of "Send a test email": checks the message as main will, then sends it. */
export function useTestEmail(api: MailSettingsApi): TestEmailControls {
  const [state, dispatch] = useReducer(testEmailReducer, initialTestEmailState);
  const sending = useRef(false);
  const attaching = useRef(false);

  return {
    state,
    open: (to) => dispatch({ type: 'open', to }),
    close: () => dispatch({ type: 'close' }),
    edit: (field, value) => dispatch({ type: 'edit', field, value }),
    setActivityNote: (value) => dispatch({ type: 'setActivityNote', value }),
    chooseAttachments: () => {
      if (state.kind !== 'open' || attaching.current) return;
      attaching.current = true;
      dispatch({ type: 'attaching' });
      void callSafely(() => api.chooseAttachments({}))
        .then((result) => dispatch(result.ok ? { type: 'attached', files: result.value } : { type: 'attachRefused', error: result.error }))
        .finally(() => {
          attaching.current = false;
        });
    },
    removeAttachment: (handle) => dispatch({ type: 'removeAttachment', handle }),
    send: () => {
      if (state.kind !== 'open' || sending.current) return;
      const checked = validateTestEmail(state.draft, state.attachments);
      if (!checked.ok) {
        dispatch({ type: 'rejectedLocally', errors: checked.errors });
        return;
      }
      sending.current = true;
      dispatch({ type: 'sending' });
      void callSafely(() => api.sendTestEmail(checked.email))
        .then((result) => dispatch(result.ok ? { type: 'sent', sent: result.value } : { type: 'failed', error: result.error }))
        .finally(() => {
          sending.current = false;
        });
    },
  };
}
