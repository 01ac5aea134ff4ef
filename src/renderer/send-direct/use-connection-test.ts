import { useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { CertificateSummary } from '../../shared/errors';
import type { PasswordChange, SendDirectSettings } from '../../shared/send-direct';
import { callSafely } from '../call-safely';
import { connectionTestReducer, initialConnectionTestState, type ConnectionTestState } from './connection-test-state';

export interface ConnectionTestControls {
  readonly state: ConnectionTestState;
  run(key: string, settings: SendDirectSettings, password: PasswordChange): void;
  trust(): void;
}

/** The container side of Test Connection and "Trust this certificate". */
export function useConnectionTest(api: MailSettingsApi): ConnectionTestControls {
  const [state, dispatch] = useReducer(connectionTestReducer, initialConnectionTestState);
  const running = useRef(false);

  return {
    state,
    run: (key, settings, password) => {
      if (running.current) return;
      running.current = true;
      dispatch({ type: 'started', key });
      void callSafely(() => api.testSendDirect({ settings, password }))
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
      void callSafely(() => api.trustCertificate({ settings: state.settings, fingerprint256: certificate.fingerprint256 })).then((result) =>
        dispatch(result.ok ? { type: 'trusted', certificate } : { type: 'trustFailed', error: result.error }),
      );
    },
  };
}
