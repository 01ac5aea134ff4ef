import { useCallback, useEffect, useReducer, useRef } from 'react';
import { accountLabel, integrationIdOfAccount, type AccountId, type AccountState } from '../../shared/accounts';
import type { MailSettingsApi } from '../../shared/contract';
import { useAdminGate } from '../admin/use-admin-gate';
import { callSafely } from '../call-safely';
import {
  initialModernAuthState,
  modernAuthReducer,
  signInRequestOf,
  type ModernAuthState,
  type ModernProvider,
  type ProviderField,
} from './modern-auth-state';

export interface ModernAuthControls {
  readonly state: ModernAuthState;
  /** Starts the sign-in in the popup (Office 365) or the system browser (Google, decided by main). */
  signIn(provider: ModernProvider, userName: string): Promise<AccountState | null>;
  cancel(): void;
  continueInBrowser(): void;
  copyLink(url: string): void;
  reset(): void;
  retryLoad(): void;
  editProviderField(provider: ModernProvider, field: ProviderField, value: string): void;
  toggleProviderSettings(): void;
}

/**
 * The container side of Modern Authentication: loads the mailbox's account state, follows main's
 * `accountStateChanged` and `signInProgress` events, and asks main to check the grant whenever the window
 * comes back to the front, so a grant revoked meanwhile shows its red cross without a restart.
 */
export function useModernAuth(api: MailSettingsApi, mailbox: AccountId, label: string = accountLabel(mailbox)): ModernAuthControls {
  const [state, dispatch] = useReducer(modernAuthReducer, initialModernAuthState);
  const gate = useAdminGate();
  // For the focus listener, which lives as long as the component: the latest state without re-subscribing.
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);

  const load = useCallback(async () => {
    const result = await callSafely(() => api.getAccountState({ mailbox }));
    dispatch(result.ok ? { type: 'loaded', account: result.value } : { type: 'loadFailed', error: result.error });
  }, [api, mailbox]);

  useEffect(() => {
    void load();
    const stopState = api.on('accountStateChanged', (account) => {
      if (account.mailbox === mailbox) dispatch({ type: 'accountChanged', account });
    });
    const stopProgress = api.on('signInProgress', (progress) => {
      if (progress.mailbox === mailbox) dispatch({ type: 'signInProgress', url: progress.url, via: progress.via });
    });
    return () => {
      stopState();
      stopProgress();
    };
  }, [api, mailbox, load]);

  // Back in front (focus, or the tab/window shown again): is the grant still alive?
  useEffect(() => {
    let checking = false;
    const check = (): void => {
      const { account, activity } = latest.current;
      if (document.visibilityState !== 'visible' || checking || account?.status !== 'signed-in' || activity.kind !== 'idle') return;
      checking = true;
      void callSafely(() => api.checkAccount({ mailbox }))
        .then((result) => dispatch(result.ok ? { type: 'accountChanged', account: result.value } : { type: 'checkFailed', error: result.error }))
        .finally(() => {
          checking = false;
        });
    };
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    return () => {
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, [api, mailbox]);

  // Set at once (not after the next render): a double click must not start two sign-ins.
  const signingIn = useRef(false);
  const signIn = async (provider: ModernProvider, userName: string): Promise<AccountState | null> => {
    if (signingIn.current) return null;
    const request = signInRequestOf(provider, state.providerFields[provider], userName);
    if (!request.ok) {
      dispatch({ type: 'providerRejected', errors: request.errors });
      return null;
    }
    signingIn.current = true;
    dispatch({ type: 'signInStarted', provider });
    try {
      const start = () => api.signIn({ mailbox, provider: request.provider, via: 'popup' });
      // An added Email Integration mailbox's sign-in is part of its credential: administrators only.
      const result = integrationIdOfAccount(mailbox) === null ? await callSafely(start) : await gate.run(`Signing in ${label}`, start);
      dispatch({ type: 'signInFinished', result });
      return result.ok ? result.value : null;
    } finally {
      signingIn.current = false;
    }
  };

  return {
    state,
    signIn,
    cancel: () => {
      dispatch({ type: 'cancelling' });
      void callSafely(() => api.cancelSignIn({ mailbox }));
    },
    continueInBrowser: () => {
      void callSafely(() => api.continueSignInInBrowser({ mailbox })).then((result) =>
        dispatch(result.ok ? { type: 'movedToBrowser' } : { type: 'moveToBrowserFailed', error: result.error }),
      );
    },
    copyLink: (url) => {
      // A page without clipboard permission (or an old browser) gets the link shown to copy by hand.
      const write = navigator.clipboard?.writeText(url) ?? Promise.reject(new Error('no clipboard'));
      void write.then(
        () => dispatch({ type: 'copied', ok: true }),
        () => dispatch({ type: 'copied', ok: false }),
      );
    },
    reset: () => {
      dispatch({ type: 'resetStarted' });
      // An inbox's reset is for administrators (issue 14): main refuses it without one, and the prompt opens.
      void gate.run(`Resetting the ${label}’s Modern Authentication`, () => api.resetAccount({ mailbox })).then((result) => dispatch({ type: 'resetFinished', result }));
    },
    retryLoad: () => {
      dispatch({ type: 'reloading' });
      void load();
    },
    editProviderField: (provider, field, value) => dispatch({ type: 'editProviderField', provider, field, value }),
    toggleProviderSettings: () => dispatch({ type: 'toggleProviderSettings' }),
  };
}
