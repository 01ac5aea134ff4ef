import { useCallback, useEffect, useReducer } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { InboxId } from '../../shared/inbox';
import { callSafely } from '../call-safely';
import { initialRecordsState, recordsReducer, type BodyView, type RecordsState } from './records-state';

export interface InboxRecordsControls {
  readonly state: RecordsState;
  reload(): void;
  open(id: number): void;
  chooseView(view: BodyView): void;
  close(): void;
}

/** How many records the view lists: the most recent ones. */
const recentRecords = 20;

/** The container side of an inbox's records view: the recent records, reloaded whenever main says the inbox changed. */
export function useInboxRecords(api: MailSettingsApi, inbox: InboxId): InboxRecordsControls {
  const [state, dispatch] = useReducer(recordsReducer, initialRecordsState);

  const load = useCallback(async () => {
    const result = await callSafely(() => api.listInboxRecords({ inbox, limit: recentRecords }));
    dispatch(result.ok ? { type: 'listLoaded', records: result.value } : { type: 'listFailed', error: result.error });
  }, [api, inbox]);

  useEffect(() => {
    void load();
    // A retrieval's end (from this window, another one, the CLI's scheduled run seen by main) says so.
    return api.on('inboxChanged', (view) => {
      if (view.inbox === inbox) void load();
    });
  }, [api, inbox, load]);

  return {
    state,
    reload: () => void load(),
    open: (id) => {
      dispatch({ type: 'openStarted', id });
      void callSafely(() => api.getInboxRecord({ id })).then((result) =>
        dispatch(result.ok ? { type: 'opened', record: result.value } : { type: 'openFailed', id, error: result.error }),
      );
    },
    chooseView: (view) => dispatch({ type: 'chooseView', view }),
    close: () => dispatch({ type: 'close' }),
  };
}
