import { useCallback, useEffect, useReducer } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { InboxId, InboxQuarantineEntry } from '../../shared/inbox';
import { callSafely } from '../call-safely';

/** The messages an inbox left on the server, reloaded whenever main says the inbox changed (a run's end). */
export function useInboxQuarantine(api: MailSettingsApi, inbox: InboxId): readonly InboxQuarantineEntry[] {
  const [entries, setEntries] = useReducer((_: readonly InboxQuarantineEntry[], loaded: readonly InboxQuarantineEntry[]) => loaded, []);

  const load = useCallback(async () => {
    const result = await callSafely(() => api.listInboxQuarantine({ inbox }));
    // A list that cannot be loaded is not shown: the run's own warning said the same.
    if (result.ok) setEntries(result.value);
  }, [api, inbox]);

  useEffect(() => {
    void load();
    return api.on('inboxChanged', (view) => {
      if (view.inbox === inbox) void load();
    });
  }, [api, inbox, load]);

  return entries;
}
