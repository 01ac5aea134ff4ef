import { useEffect, useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { InboxId } from '../../shared/inbox';
import { callSafely } from '../call-safely';
import { checkNowReducer, initialCheckNowState, type CheckNowState } from './check-now-state';

export interface CheckNowControls {
  readonly state: CheckNowState;
  run(): void;
}

/**
 * The container side of "Check now": runs the retrieval of the saved inbox, follows main's progress
 * events, of its own run and of runs started elsewhere (which end when `lastRunFinishedAt` changes).
 */
export function useCheckNow(api: MailSettingsApi, inbox: InboxId, lastRunFinishedAt: string | null): CheckNowControls {
  const [state, dispatch] = useReducer(checkNowReducer, initialCheckNowState);
  // Set at once (not after the next render): a double click must not start two runs.
  const running = useRef(false);

  useEffect(
    () =>
      api.on('retrievalProgress', (progress) => {
        if (progress.inbox === inbox) dispatch({ type: 'progress', progress });
      }),
    [api, inbox],
  );
  // Main announces a finished run with the inbox's new `lastRun`, after its last progress event.
  useEffect(() => dispatch({ type: 'lastRunChanged' }), [lastRunFinishedAt]);

  return {
    state,
    run: () => {
      if (running.current) return;
      running.current = true;
      dispatch({ type: 'started' });
      void callSafely(() => api.checkInboxNow({ inbox }))
        .then((result) => dispatch(result.ok ? { type: 'finished', summary: result.value } : { type: 'failed', error: result.error }))
        .finally(() => {
          running.current = false;
        });
    },
  };
}
