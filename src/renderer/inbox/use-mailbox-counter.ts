import { useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { InboxId } from '../../shared/inbox';
import { callSafely } from '../call-safely';

/** "Reset Mailbox Counter": asked to confirm, then done (or refused). */
export type CounterResetState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'confirming' }
  | { readonly kind: 'resetting' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: AppError };

export interface MailboxCounterControls {
  readonly state: CounterResetState;
  ask(): void;
  cancel(): void;
  confirm(): void;
}

/** The container side of "Reset Mailbox Counter" (seed 003). Issue 14 puts the administrator's login before `confirm`. */
export function useMailboxCounter(api: MailSettingsApi, inbox: InboxId): MailboxCounterControls {
  const [state, setState] = useState<CounterResetState>({ kind: 'idle' });
  return {
    state,
    ask: () => setState({ kind: 'confirming' }),
    cancel: () => setState({ kind: 'idle' }),
    confirm: () => {
      setState({ kind: 'resetting' });
      void callSafely(() => api.resetInboxCounter({ inbox })).then((result) => setState(result.ok ? { kind: 'done' } : { kind: 'failed', error: result.error }));
    },
  };
}
