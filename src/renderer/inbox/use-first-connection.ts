import { useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { InboxId } from '../../shared/inbox';
import { callSafely } from '../call-safely';

/** After the first Save of an inbox whose mailbox holds mail already: the question, then the answer. */
export type FirstConnectionState =
  | { readonly kind: 'none' }
  | { readonly kind: 'asking'; readonly count: number; readonly oldest: string | null }
  | { readonly kind: 'fromNow'; readonly leftOnServer: number }
  | { readonly kind: 'failed'; readonly error: AppError };

export interface FirstConnectionControls {
  readonly state: FirstConnectionState;
  /** After a Save: asks main whether there is anything to ask. */
  look(): void;
  importAll(): void;
  fromNow(): void;
}

export function useFirstConnection(api: MailSettingsApi, inbox: InboxId, runNow: () => void): FirstConnectionControls {
  const [state, setState] = useState<FirstConnectionState>({ kind: 'none' });
  return {
    state,
    look: () => {
      void callSafely(() => api.inboxFirstConnection({ inbox })).then((result) => {
        // A mailbox that cannot be looked into now is Check now's (and Test Connection's) to explain.
        if (result.ok && result.value.holdsMail) setState({ kind: 'asking', count: result.value.count, oldest: result.value.oldest });
      });
    },
    importAll: () => {
      setState({ kind: 'none' });
      runNow();
    },
    fromNow: () => {
      void callSafely(() => api.importInboxFromNow({ inbox })).then((result) =>
        setState(result.ok ? { kind: 'fromNow', leftOnServer: result.value.leftOnServer } : { kind: 'failed', error: result.error }),
      );
    },
  };
}
