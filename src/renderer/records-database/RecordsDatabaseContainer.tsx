import { useEffect, useReducer } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { RecordsDatabaseChoice } from '../../shared/records-database';
import { useAdminGate } from '../admin/use-admin-gate';
import { callSafely } from '../call-safely';
import { RecordsDatabaseDialog } from './RecordsDatabaseDialog';
import { draftErrors, formOf, initialRecordsDatabaseState, recordsDatabaseReducer, type RecordsDatabaseField } from './records-database-state';

export interface RecordsDatabaseContainerProps {
  readonly api: MailSettingsApi;
  readonly onClose: () => void;
}

/** The "Records database" dialog's state and its calls to main (administrators only: the gate asks again if the session ended). */
export function RecordsDatabaseContainer({ api, onClose }: Readonly<RecordsDatabaseContainerProps>) {
  const [state, dispatch] = useReducer(recordsDatabaseReducer, initialRecordsDatabaseState);
  const gate = useAdminGate();

  useEffect(() => {
    let current = true;
    // The administrator signed in to open the dialog (RecordsDatabaseEntry).
    void callSafely(() => api.getRecordsDatabase({})).then((result) => {
      if (current) dispatch(result.ok ? { type: 'loaded', view: result.value } : { type: 'loadFailed', error: result.error });
    });
    return () => {
      current = false;
    };
  }, [api]);

  const send = async (busy: 'testing' | 'saving'): Promise<void> => {
    if (state.kind !== 'editing' || state.busy !== null) return;
    const errors = draftErrors(state.draft);
    if (Object.keys(errors).length > 0) {
      dispatch({ type: 'rejectedLocally', errors });
      return;
    }
    const form = formOf(state.draft);
    dispatch({ type: 'started', busy });
    if (busy === 'testing') {
      const tested = await gate.run('Testing the records database', () => api.testRecordsDatabase({ form }));
      dispatch(tested.ok ? { type: 'tested', message: tested.value.message } : { type: 'refused', error: tested.error });
    } else {
      const saved = await gate.run('Saving the records database', () => api.saveRecordsDatabase({ form }));
      dispatch(saved.ok ? { type: 'saved', saved: saved.value } : { type: 'refused', error: saved.error });
    }
  };

  return (
    <RecordsDatabaseDialog
      state={state}
      onChoose={(choice: RecordsDatabaseChoice) => dispatch({ type: 'chose', choice })}
      onEdit={(field: RecordsDatabaseField, value: string) => dispatch({ type: 'edit', field, value })}
      onTest={() => void send('testing')}
      onSave={() => void send('saving')}
      onClose={onClose}
    />
  );
}
