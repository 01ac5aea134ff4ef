import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import { useAdminGate } from '../admin/use-admin-gate';
import { assertNever } from '../assert-never';
import { callSafely } from '../call-safely';
import { BuiltInMailboxDialog } from './BuiltInMailboxDialog';
import { dashboardReducer, initialDashboardState, rowById, type DashboardState } from './dashboard-state';
import { DeleteIntegrationDialog } from './DeleteIntegrationDialog';
import { EmailIntegrationDialog } from './EmailIntegrationDialog';
import { goToMailboxSection } from './go-to-section';
import { IntegrationFormContainer } from './IntegrationFormContainer';

export interface EmailIntegrationContainerProps {
  readonly api: MailSettingsApi;
  readonly onClose: () => void;
}

/**
 * System Admin › Email Integration: the dashboard's rows (main's answer, then its `integrationsChanged`
 * events) and the dialog open over it.
 */
export function EmailIntegrationContainer({ api, onClose }: Readonly<EmailIntegrationContainerProps>) {
  const [state, dispatch] = useReducer(dashboardReducer, initialDashboardState);
  const deleting = useRef(false);
  const gate = useAdminGate();

  const load = useCallback(async () => {
    const result = await callSafely(() => api.listIntegrations({}));
    dispatch(result.ok ? { type: 'loaded', rows: result.value } : { type: 'loadFailed', error: result.error });
  }, [api]);

  useEffect(() => {
    void load();
    return api.on('integrationsChanged', (rows) => dispatch({ type: 'loaded', rows }));
  }, [api, load]);

  const confirmDelete = async (): Promise<void> => {
    const { dialog } = state;
    if (dialog.kind !== 'delete' || deleting.current) return;
    const row = rowById(state, dialog.id);
    if (row === null) return;
    deleting.current = true;
    dispatch({ type: 'deleteStarted' });
    try {
      const result = await gate.run('Deleting an Email Integration mailbox', () => api.deleteIntegration({ id: row.id }));
      dispatch(result.ok ? { type: 'deleted', rows: result.value, name: row.configurationName } : { type: 'deleteRefused', error: result.error });
    } finally {
      deleting.current = false;
    }
  };

  const checkNow = async (id: string): Promise<void> => {
    if (state.checking.includes(id)) return;
    dispatch({ type: 'checkStarted', id });
    const result = await callSafely(() => api.checkIntegrationNow({ id }));
    dispatch(result.ok ? { type: 'checked', row: result.value } : { type: 'checkRefused', id, error: result.error });
  };

  const close = (): void => dispatch({ type: 'closeDialog' });

  return (
    <EmailIntegrationDialog
      rows={state.rows}
      done={state.done}
      busy={state.dialog.kind === 'delete' && state.dialog.busy}
      checking={state.checking}
      checkRefused={state.checkRefused}
      onCheckNow={(id) => void checkNow(id)}
      onAdd={() => dispatch({ type: 'add' })}
      onDetails={(id) => dispatch({ type: 'openDetails', id })}
      onDelete={(id) => dispatch({ type: 'askDelete', id })}
      onRetry={() => {
        dispatch({ type: 'reloading' });
        void load();
      }}
      onClose={onClose}
      subDialog={
        <SubDialog
          api={api}
          state={state}
          onAdded={(view) => dispatch({ type: 'added', view })}
          onConfirmDelete={() => void confirmDelete()}
          onGoThere={(kind) => {
            onClose();
            goToMailboxSection(kind);
          }}
          onClose={close}
        />
      }
    />
  );
}

interface SubDialogProps {
  readonly api: MailSettingsApi;
  readonly state: DashboardState;
  readonly onAdded: Parameters<typeof IntegrationFormContainer>[0]['onAdded'];
  readonly onConfirmDelete: () => void;
  readonly onGoThere: (kind: Parameters<typeof goToMailboxSection>[0]) => void;
  readonly onClose: () => void;
}

function SubDialog({ api, state, onAdded, onConfirmDelete, onGoThere, onClose }: Readonly<SubDialogProps>) {
  const { dialog } = state;
  switch (dialog.kind) {
    case 'none':
      return null;
    case 'new':
      // The same element as Details below: once saved, the new mailbox's form stays open as its Details.
      return <IntegrationFormContainer key="integration-form" api={api} view={null} onAdded={onAdded} onClose={onClose} />;
    case 'details': {
      const row = rowById(state, dialog.id);
      return row === null ? null : <IntegrationFormContainer key="integration-form" api={api} view={row} onAdded={onAdded} onClose={onClose} />;
    }
    case 'builtIn': {
      const row = rowById(state, dialog.id);
      return row === null ? null : <BuiltInMailboxDialog row={row} onGoThere={() => onGoThere(row.kind)} onClose={onClose} />;
    }
    case 'delete': {
      const row = rowById(state, dialog.id);
      return row === null ? null : <DeleteIntegrationDialog row={row} busy={dialog.busy} error={dialog.error} onConfirm={onConfirmDelete} onCancel={onClose} />;
    }
    default:
      return assertNever(dialog);
  }
}
