import { useEffect, useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import { type InboxId, type InboxSettings, type InboxView } from '../../shared/inbox';
import { mailboxNames } from '../../shared/mailboxes';
import { useAfterPointer } from '../components/use-after-pointer';
import { useNow } from '../components/use-now';
import { useUnsavedChangesGuard } from '../components/use-unsaved-changes-guard';
import { assertNever } from '../assert-never';
import { useAdminGate } from '../admin/use-admin-gate';
import { ChangePasswordDialog } from '../mail-account/ChangePasswordDialog';
import { connectionTestShown } from '../mail-account/connection-test-state';
import { ConnectionTestPanel } from '../mail-account/ConnectionTestPanel';
import { MailboxModernAuthPanel } from '../mail-account/MailboxModernAuthPanel';
import { modernProviderOf } from '../mail-account/modern-auth-state';
import { useConnectionTest } from '../mail-account/use-connection-test';
import { useModernAuth } from '../mail-account/use-modern-auth';
import { AcknowledgementField } from './AcknowledgementField';
import { ActivityTypesDialog } from './ActivityTypesDialog';
import { recordTypeOptions, typesOf } from './activity-types-state';
import { CheckNowPanel } from './CheckNowPanel';
import { RetrievedByNote } from '../components/RetrievedByNote';
import { InboxAccountFields } from './InboxAccountFields';
import { InboxDialog } from './InboxDialog';
import { inboxConnectionReadiness } from './inbox-connection';
import { inboxFormOf, inboxFormReducer, isInboxDirty, passwordToSend, validateInboxForSave, type InboxFormState } from './inbox-form-state';
import { RecordCreationFields } from './RecordCreationFields';
import { FolderField } from './FolderField';
import { ScheduleField } from './ScheduleField';
import { FirstConnectionPanel } from './FirstConnectionPanel';
import { KeepOnServerFields } from './KeepOnServerFields';
import { useFirstConnection } from './use-first-connection';
import { useMailboxCounter } from './use-mailbox-counter';
import { useActivityTypes } from './use-activity-types';
import { useCheckNow } from './use-check-now';

export interface InboxDialogContainerProps {
  readonly api: MailSettingsApi;
  readonly inbox: InboxId;
  readonly idPrefix: string;
  /** What main last said of the inbox; the form starts from it and follows it while it has no changes. */
  readonly view: InboxView;
  readonly onClose: () => void;
}

/**
 * Holds an inbox dialog's state and talks to main: Save, Test Connection and "Trust this certificate"
 * with the form's values, Check now with the saved ones, and the Type manager. Everything visible is in
 * the presentational components.
 */
export function InboxDialogContainer({ api, inbox, idPrefix, view, onClose }: Readonly<InboxDialogContainerProps>) {
  const [form, dispatch] = useReducer(inboxFormReducer, view, inboxFormOf);
  const afterPointer = useAfterPointer();
  const connectionTest = useConnectionTest<InboxSettings>({
    // Main answers with seed 002's words: "We were able to connect to your mailbox."
    test: (settings, password) => api.testInbox({ inbox, settings, password }),
    trust: (settings, fingerprint256) => api.trustInboxCertificate({ inbox, settings, fingerprint256 }),
  });
  // The inbox's own sign-in (IMAP scopes): its mailbox id is the inbox's.
  const modernAuth = useModernAuth(api, inbox);
  const now = useNow();
  const checkNow = useCheckNow(api, inbox, view.lastRun?.finishedAt ?? null);
  const counter = useMailboxCounter(api, inbox);
  const firstConnection = useFirstConnection(api, inbox, checkNow.run);
  const types = useActivityTypes(api);
  const gate = useAdminGate();
  const dirty = isInboxDirty(form);
  useUnsavedChangesGuard(dirty);

  // Main's answers after the first: another window saved, a retrieval ended, a type was renamed.
  const shownView = useRef(view);
  useEffect(() => {
    if (shownView.current === view) return;
    shownView.current = view;
    dispatch({ type: 'changedElsewhere', view });
  }, [view]);

  const save = async (): Promise<void> => {
    if (form.save.kind === 'saving') return;
    const checked = validateInboxForSave(form);
    if (!checked.ok) {
      dispatch({ type: 'saveRejectedLocally', errors: checked.errors });
      focusFirstInvalidField(idPrefix);
      return;
    }
    dispatch({ type: 'saving' });
    // Administrators only (issue 14): main refuses without one, and the administrator's prompt opens.
    const result = await gate.run(`Saving the ${mailboxNames[inbox]} settings`, () => api.saveInbox({ inbox, settings: checked.settings, password: passwordToSend(form) }));
    if (result.ok) {
      dispatch({ type: 'saveSucceeded', view: result.value });
      // A mailbox that holds mail already, before any run: "Import all" or "Only mail arriving from now on".
      firstConnection.look();
    } else {
      dispatch({ type: 'saveFailed', error: result.error });
      focusFirstInvalidField(idPrefix);
    }
  };

  const account = modernAuth.state.account;
  const readiness = inboxConnectionReadiness(form, { status: account?.status ?? null, username: account?.username ?? null });
  const provider = modernProviderOf(form.draft.authMethod);
  const typesList = typesOf(types.state);

  return (
    <InboxDialog
      inbox={inbox}
      idPrefix={idPrefix}
      warnings={form.saved.warnings}
      save={form.save}
      dirty={dirty}
      onSave={() => void save()}
      onCancel={onClose}
      account={
        <InboxAccountFields
          idPrefix={idPrefix}
          form={form}
          onEdit={(field, value) => dispatch({ type: 'edit', field, value })}
          onChooseSecurity={(value) => dispatch({ type: 'chooseSecurity', value })}
          onChooseAuthMethod={(value) => dispatch({ type: 'chooseAuthMethod', value })}
          onAllowInsecureAuth={(value) => dispatch({ type: 'setAllowInsecureAuth', value })}
          onChooseSharedMailbox={(value) => dispatch({ type: 'chooseSharedMailbox', value })}
          onBlur={(field) => afterPointer(() => dispatch({ type: 'blur', field }))}
          onTypePassword={(value) => dispatch({ type: 'typePassword', value })}
          onOpenChangePassword={() => dispatch({ type: 'openChangePassword' })}
          onRemovePassword={() => dispatch({ type: 'removePassword' })}
          onKeepPassword={() => dispatch({ type: 'keepPassword' })}
          modernAuth={
            provider !== null && (
              <MailboxModernAuthPanel
                idPrefix={idPrefix}
                provider={provider}
                modernAuth={modernAuth}
                userName={form.draft.userName}
                now={now}
                onSignedIn={(signedIn) => {
                  if (signedIn.username !== null) dispatch({ type: 'signedIn', username: signedIn.username });
                }}
              />
            )
          }
          connectionTest={
            <ConnectionTestPanel
              idPrefix={idPrefix}
              test={connectionTestShown(connectionTest.state, readiness.key)}
              readyHint="Uses the values in this form, saved or not. Nothing is read or removed."
              testingText="Testing the connection to your mailbox…"
              notReadyReason={readiness.ready ? null : readiness.reason}
              onTest={() => {
                if (readiness.ready) connectionTest.run(readiness.key, readiness.settings, readiness.password);
              }}
              onTrust={connectionTest.trust}
            />
          }
        />
      }
      recordCreation={
        <>
          <RecordCreationFields
            idPrefix={idPrefix}
            recordType={form.draft.recordType}
            options={recordTypeOptions(typesList, form.draft.recordType)}
            error={form.errors.recordType}
            typesProblem={types.state.list.kind === 'loadFailed' ? `The list of types could not be loaded: ${types.state.list.error.message}` : null}
            onChoose={(value) => dispatch({ type: 'chooseRecordType', value })}
            onManageTypes={() => {
              // Fresh: a Save since it was loaded may have put a type in use.
              types.reload();
              dispatch({ type: 'openActivityTypes' });
            }}
          />
          {inbox === 'serviceDesk' && (
            <AcknowledgementField idPrefix={idPrefix} checked={form.draft.acknowledgeNewCases} onChange={(value) => dispatch({ type: 'setAcknowledgeNewCases', value })} />
          )}
        </>
      }
      retrieval={
        <>
          <FolderField
            idPrefix={idPrefix}
            value={form.draft.folder}
            error={form.errors.folder}
            onChange={(value) => dispatch({ type: 'edit', field: 'folder', value })}
            onBlur={() => dispatch({ type: 'blur', field: 'folder' })}
          />
          <ScheduleField
            idPrefix={idPrefix}
            value={form.draft.checkEveryMinutes}
            error={form.errors.checkEveryMinutes}
            onChange={(value) => dispatch({ type: 'edit', field: 'checkEveryMinutes', value })}
            onBlur={() => dispatch({ type: 'blur', field: 'checkEveryMinutes' })}
          />
          <KeepOnServerFields
            idPrefix={idPrefix}
            checked={form.draft.keepOnServer}
            counterInUse={form.saved.settings?.keepOnServer === true}
            reset={counter.state}
            onChange={(value) => dispatch({ type: 'setKeepOnServer', value })}
            onAskReset={counter.ask}
          />
          {/* Answered by a check too: once one runs, the question is moot. */}
          {checkNow.state.kind === 'idle' && (
            <FirstConnectionPanel idPrefix={idPrefix} state={firstConnection.state} onImportAll={firstConnection.importAll} onFromNow={firstConnection.fromNow} />
          )}
          <CheckNowPanel
            idPrefix={idPrefix}
            labelledBy={`${idPrefix}-retrieval-title`}
            state={checkNow.state}
            notReadyReason={checkNowNotReadyReason(form, dirty)}
            lastRun={form.saved.lastRun ?? null}
            keepsOnServer={form.saved.settings?.keepOnServer === true}
            onCheck={checkNow.run}
          />
          {form.saved.retrievedBy && (
            <p className="status status--muted">
              <RetrievedByNote retrievedBy={form.saved.retrievedBy} />
            </p>
          )}
        </>
      }
      subDialog={<SubDialog form={form} dispatch={dispatch} types={types} inbox={inbox} />}
    />
  );
}

type Dispatch = (action: Parameters<typeof inboxFormReducer>[1]) => void;

function SubDialog({ form, dispatch, types, inbox }: Readonly<{ form: InboxFormState; dispatch: Dispatch; types: ReturnType<typeof useActivityTypes>; inbox: InboxId }>) {
  const { subDialog } = form;
  switch (subDialog.kind) {
    case 'none':
      return null;
    case 'changePassword':
      return (
        <ChangePasswordDialog
          draft={subDialog}
          serverDescription={`the ${mailboxNames[inbox]}’s mailbox`}
          onEdit={(field, value) => dispatch({ type: 'editChangePassword', field, value })}
          onConfirm={() => dispatch({ type: 'confirmChangePassword' })}
          onCancel={() => dispatch({ type: 'closeSubDialog' })}
        />
      );
    case 'activityTypes':
      return (
        <ActivityTypesDialog
          state={types.state}
          onEditNewName={types.editNewName}
          onAdd={types.add}
          onStartRename={types.startRename}
          onEditRename={types.editRename}
          onConfirmRename={() => {
            void types.confirmRename().then((renamed) => {
              if (renamed !== null) dispatch({ type: 'recordTypeRenamed', ...renamed });
            });
          }}
          onCancelRename={types.cancelRename}
          onRetire={types.retire}
          onRetryLoad={types.reload}
          onClose={() => dispatch({ type: 'closeSubDialog' })}
        />
      );
    default:
      return assertNever(subDialog);
  }
}

/** Check now empties the saved mailbox: it waits for Save, and says so. */
function checkNowNotReadyReason(form: InboxFormState, dirty: boolean): string | null {
  if (form.saved.settings === null) return 'Save first: Check now empties the saved mailbox, and nothing is saved yet.';
  if (dirty) return 'Save first: Check now uses the saved settings, and this form has unsaved changes.';
  return null;
}

/** After a refused Save, the keyboard goes to the first field of the dialog that needs attention. */
function focusFirstInvalidField(idPrefix: string): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>(`[aria-labelledby="${idPrefix}-dialog-title"] [aria-invalid="true"]`)?.focus();
  });
}
