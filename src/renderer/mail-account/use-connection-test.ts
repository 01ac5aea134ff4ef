import { useReducer, useRef } from 'react';
import type { CertificateSummary, Result } from '../../shared/errors';
import type { PasswordChange } from '../../shared/mail-server';
import { callSafely } from '../call-safely';
import { connectionTestReducer, initialConnectionTestState, type ConnectionTestState } from './connection-test-state';

/** How a section tests its mailbox and trusts its server's certificate: the API calls, with its settings. */
export interface ConnectionTestCalls<S> {
  /** Answers the words to show on success (seed 002's for an inbox). */
  test(settings: S, password: PasswordChange): Promise<Result<{ readonly message: string }>>;
  /** Main asks the server of `settings` again, and trusts the certificate only if it still shows this fingerprint. */
  trust(settings: S, fingerprint256: string): Promise<Result<void>>;
}

export interface ConnectionTestControls<S> {
  readonly state: ConnectionTestState<S>;
  run(key: string, settings: S, password: PasswordChange): void;
  trust(): void;
}

/** The container side of Test Connection and "Trust this certificate", for any mail account. */
export function useConnectionTest<S>(calls: ConnectionTestCalls<S>): ConnectionTestControls<S> {
  const [state, dispatch] = useReducer(connectionTestReducer<S>, initialConnectionTestState);
  const running = useRef(false);

  return {
    state,
    run: (key, settings, password) => {
      if (running.current) return;
      running.current = true;
      dispatch({ type: 'started', key });
      void callSafely(() => calls.test(settings, password))
        .then((result) =>
          dispatch(result.ok ? { type: 'succeeded', key, message: result.value.message } : { type: 'failed', key, error: result.error, settings }),
        )
        .finally(() => {
          running.current = false;
        });
    },
    trust: () => {
      if (state.kind !== 'failed' || state.trust.kind === 'trusting') return;
      const certificate: CertificateSummary | undefined = state.error.certificate;
      if (certificate === undefined) return;
      dispatch({ type: 'trustStarted' });
      // The settings the certificate was seen with: main asks that server again before trusting it.
      void callSafely(() => calls.trust(state.settings, certificate.fingerprint256)).then((result) =>
        dispatch(result.ok ? { type: 'trusted', certificate } : { type: 'trustFailed', error: result.error }),
      );
    },
  };
}
