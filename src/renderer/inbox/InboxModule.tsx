import { useCallback, useEffect, useReducer, useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { inboxDialogTitles, type InboxId, type InboxView } from '../../shared/inbox';
import { mailboxNames } from '../../shared/mailboxes';
import { assertNever } from '../assert-never';
import { callSafely } from '../call-safely';
import { Button } from '../components/Buttons';
import { WarningIcon } from '../components/Field';
import { GearIcon, InboxIcon } from './icons';
import { InboxDialogContainer } from './InboxDialogContainer';
import { InboxSummary } from './InboxSummary';
import { NotImportedList } from './NotImportedList';
import { RecentRecords } from './RecentRecords';
import { RecordDialog } from './RecordDialog';
import { useInboxQuarantine } from './use-inbox-quarantine';
import { useInboxRecords } from './use-inbox-records';

export interface InboxModuleProps {
  readonly api: MailSettingsApi;
  readonly inbox: InboxId;
}

type ViewState = { readonly kind: 'loading' } | { readonly kind: 'loadFailed'; readonly error: AppError } | { readonly kind: 'loaded'; readonly view: InboxView };

type ViewAction = { readonly type: 'loaded'; readonly view: InboxView } | { readonly type: 'loadFailed'; readonly error: AppError } | { readonly type: 'reloading' };

/** Main's answer, or its `inboxChanged` event, replaces what is shown. */
function viewReducer(_state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'loaded':
      return { kind: 'loaded', view: action.view };
    case 'loadFailed':
      return { kind: 'loadFailed', error: action.error };
    case 'reloading':
      return { kind: 'loading' };
    default:
      return assertNever(action);
  }
}

/** Which of the module's dialogs is open: its settings (the gear), or none. A record opens from the records view. */
type ModuleDialog = { readonly kind: 'closed' } | { readonly kind: 'configure' };

/** What each inbox is for, under its header. */
const purposes: Readonly<Record<InboxId, string>> = {
  lead: 'Web submissions and other messages sent to your sales mailbox become activity notes in Legrand CRM.',
  serviceDesk: 'Messages sent to your support mailbox become Service Desk cases in Legrand CRM, each with its case reference.',
};

/**
 * A module of the Mail Settings window (seed 000): the inbox's header with its gear wheel, what it is set
 * up to do, and its recent records. Holds the inbox's view (main's answers and `inboxChanged` events) and
 * which dialog is open.
 */
export function InboxModule({ api, inbox }: Readonly<InboxModuleProps>) {
  const [state, dispatch] = useReducer(viewReducer, { kind: 'loading' });
  const [dialog, setDialog] = useState<ModuleDialog>({ kind: 'closed' });
  const records = useInboxRecords(api, inbox);
  const notImported = useInboxQuarantine(api, inbox);
  const idPrefix = inbox === 'lead' ? 'lead-inbox' : 'service-desk-inbox';
  const titleId = `${idPrefix}-title`;

  const load = useCallback(async () => {
    const result = await callSafely(() => api.getInbox({ inbox }));
    dispatch(result.ok ? { type: 'loaded', view: result.value } : { type: 'loadFailed', error: result.error });
  }, [api, inbox]);

  useEffect(() => {
    void load();
    return api.on('inboxChanged', (view) => {
      if (view.inbox === inbox) dispatch({ type: 'loaded', view });
    });
  }, [api, inbox, load]);

  const configure = (): void => {
    if (state.kind === 'loaded') setDialog({ kind: 'configure' });
  };

  return (
    <section className="section module" aria-labelledby={titleId}>
      <div className="section__header module__header">
        <InboxIcon />
        <h2 className="module__title" id={titleId}>
          {mailboxNames[inbox]}
        </h2>
        <button
          type="button"
          className="module__gear"
          aria-label={inboxDialogTitles[inbox]}
          title={inboxDialogTitles[inbox]}
          aria-disabled={state.kind !== 'loaded' || undefined}
          onClick={configure}
        >
          <GearIcon />
        </button>
      </div>
      <div className="section__body module__body">
        <p className="module__purpose">{purposes[inbox]}</p>
        <ModuleState
          state={state}
          onRetry={() => {
            dispatch({ type: 'reloading' });
            void load();
          }}
        />
        <RecentRecords idPrefix={idPrefix} inbox={inbox} list={records.state.list} onOpen={records.open} onRetry={records.reload} />
        <NotImportedList idPrefix={idPrefix} entries={notImported} />
      </div>
      {dialog.kind === 'configure' && state.kind === 'loaded' && (
        <InboxDialogContainer api={api} inbox={inbox} idPrefix={idPrefix} view={state.view} onClose={() => setDialog({ kind: 'closed' })} />
      )}
      {records.state.opened.kind !== 'closed' && (
        <RecordDialog idPrefix={idPrefix} opened={records.state.opened} onChooseView={records.chooseView} onClose={records.close} />
      )}
    </section>
  );
}

function ModuleState({ state, onRetry }: Readonly<{ state: ViewState; onRetry: () => void }>) {
  switch (state.kind) {
    case 'loading':
      return (
        <p className="section__placeholder" role="status">
          Loading the inbox settings…
        </p>
      );
    case 'loadFailed':
      return (
        <div className="load-failed" role="alert" data-error-code={state.error.code}>
          <WarningIcon />
          <div>
            <p className="status__message">{state.error.message}</p>
            {state.error.fix !== undefined && <p className="status__fix">{state.error.fix}</p>}
            <Button onClick={onRetry}>Try again</Button>
          </div>
        </div>
      );
    case 'loaded':
      return <InboxSummary view={state.view} />;
    default:
      return assertNever(state);
  }
}
