import { useRef, useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { InboxId } from '../../shared/inbox';
import { mailboxNames } from '../../shared/mailboxes';
import { useAdminGate } from '../admin/use-admin-gate';

export const resetCounterLabel = 'Reset Mailbox Counter';

/** "Reset Mailbox Counter": after the administrator's prompt and its confirmation, done (or refused). */
export type CounterResetState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'resetting' }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly error: AppError };

export interface MailboxCounterControls {
  readonly state: CounterResetState;
  ask(): void;
}

/**
 * The container side of "Reset Mailbox Counter" (seed 003): "An admin login prompt will display… If you are
 * logged in as an administrator, these will be pre-populated. Confirm you wish to proceed." The prompt takes
 * the place of a separate confirmation; main still checks the administrator's session itself.
 */
export function useMailboxCounter(api: MailSettingsApi, inbox: InboxId): MailboxCounterControls {
  const [state, setState] = useState<CounterResetState>({ kind: 'idle' });
  const gate = useAdminGate();
  const asking = useRef(false);
  const action = `Resetting the ${mailboxNames[inbox]}’s mailbox counter`;

  const ask = async (): Promise<void> => {
    if (asking.current) return;
    asking.current = true;
    try {
      const confirmed = await gate.confirm(action, {
        title: resetCounterLabel,
        text: 'The next check downloads every message of the mailbox again. Messages already kept are recognised and not doubled; only the missing ones become records.',
        confirmLabel: 'Reset the counter',
      });
      if (!confirmed) return;
      setState({ kind: 'resetting' });
      const result = await gate.run(action, () => api.resetInboxCounter({ inbox }));
      setState(result.ok ? { kind: 'done' } : { kind: 'failed', error: result.error });
    } finally {
      asking.current = false;
    }
  };

  return { state, ask: () => void ask() };
}
