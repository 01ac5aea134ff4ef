import { describe, expect, it } from 'vitest';
import type { IntegrationCredentialView } from '../../../src/shared/integration';
import { dashboardReducer, initialDashboardState, rowStatus, whereEdited, type DashboardAction, type DashboardState } from '../../../src/renderer/integration/dashboard-state';
import {
  initialIntegrationPasswordState,
  integrationPasswordErrors,
  integrationPasswordReducer,
  type IntegrationPasswordAction,
} from '../../../src/renderer/integration/change-password-state';

const row = (patch: Partial<IntegrationCredentialView>): IntegrationCredentialView => ({
  id: 'a1b2c3d4e5f6',
  kind: 'integration',
  configurationName: 'Sales mailbox',
  mailbox: 'sales@example.com',
  host: 'imap.example.com',
  authMethod: 'password',
  settings: null,
  hasPassword: true,
  status: null,
  lastSuccessAt: null,
  stale: false,
  aliasCount: 1,
  ...patch,
});
const lead = row({ id: 'lead', kind: 'leadInbox', configurationName: 'Lead Inbox' });
const sales = row({});
const run = (...actions: DashboardAction[]): DashboardState => actions.reduce(dashboardReducer, initialDashboardState);

describe('the Email Integration dashboard (logic)', () => {
  it('opens Details of an added mailbox, and the where-it-is-edited box for a built-in one', () => {
    expect(run({ type: 'loaded', rows: [lead, sales] }, { type: 'openDetails', id: sales.id }).dialog).toEqual({ kind: 'details', id: sales.id });
    expect(run({ type: 'loaded', rows: [lead, sales] }, { type: 'openDetails', id: 'lead' }).dialog).toEqual({ kind: 'builtIn', id: 'lead' });
    expect(whereEdited(lead)).toBe('The Lead Inbox is edited with the gear button of its section in this window (Configure Lead Inbox Processing).');
  });

  it('offers Delete for added mailboxes only', () => {
    expect(run({ type: 'loaded', rows: [lead] }, { type: 'askDelete', id: 'lead' }).dialog).toEqual({ kind: 'none' });
    expect(run({ type: 'loaded', rows: [sales] }, { type: 'askDelete', id: sales.id }).dialog).toEqual({ kind: 'delete', id: sales.id, busy: false, error: null });
  });

  it('keeps the confirmation open with main’s refusal, which names the aliases; a delete closes it', () => {
    const error = { code: 'INTEGRATION_IN_USE' as const, message: 'sales+web@example.com uses this mailbox: delete those aliases first.' };
    const asked = run({ type: 'loaded', rows: [lead, sales] }, { type: 'askDelete', id: sales.id }, { type: 'deleteStarted' });
    expect(asked.dialog).toMatchObject({ busy: true });
    expect(dashboardReducer(asked, { type: 'deleteRefused', error }).dialog).toEqual({ kind: 'delete', id: sales.id, busy: false, error });
    const deleted = dashboardReducer(asked, { type: 'deleted', rows: [lead], name: 'Sales mailbox' });
    expect(deleted).toEqual({ rows: { kind: 'loaded', rows: [lead] }, dialog: { kind: 'none' }, done: 'Sales mailbox deleted, with its default alias.', checking: [], checkRefused: null });
  });

  it('shows Check now running on its row, then the row main answers: said when fetched, left to the red cross when not', () => {
    const started = run({ type: 'loaded', rows: [lead, sales] }, { type: 'checkStarted', id: sales.id });
    expect(started.checking).toEqual([sales.id]);
    const fetched = row({ status: { ok: true, at: '2025-01-01T10:00:00Z', error: null }, lastSuccessAt: '2025-01-01T10:00:00Z' });
    const checked = dashboardReducer(started, { type: 'checked', row: fetched });
    expect(checked).toMatchObject({ rows: { kind: 'loaded', rows: [lead, fetched] }, checking: [], done: 'Sales mailbox checked: its mail is fetched.' });
    const refusedPassword = row({ status: { ok: false, at: '2025-01-01T10:00:00Z', error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.' } } });
    expect(dashboardReducer(started, { type: 'checked', row: refusedPassword })).toMatchObject({ checking: [], done: null });
    const busy = { code: 'RETRIEVAL_IN_PROGRESS' as const, message: 'Another run is emptying this mailbox.' };
    expect(dashboardReducer(started, { type: 'checkRefused', id: sales.id, error: busy })).toMatchObject({ checking: [], checkRefused: busy });
  });

  it('turns New Email Integration into the new mailbox’s Details once added, and closes a dialog whose mailbox went away', () => {
    const added = run({ type: 'loaded', rows: [lead] }, { type: 'add' }, { type: 'added', view: sales });
    expect(added.dialog).toEqual({ kind: 'details', id: sales.id });
    expect(dashboardReducer(added, { type: 'loaded', rows: [lead] }).dialog).toEqual({ kind: 'none' });
  });

  it('says why a mailbox has a red cross, and that one never checked is not', () => {
    expect(rowStatus(sales)).toEqual({ tone: 'unknown', text: 'Not checked yet' });
    expect(rowStatus(row({ status: { ok: true, at: '2025-01-01T10:00:00Z', error: null } }))).toEqual({ tone: 'ok', text: 'Connected' });
    const failed = rowStatus(row({ status: { ok: false, at: '2025-01-01T10:00:00Z', error: { code: 'IMAP_AUTH_FAILED', message: 'The mail server did not accept the user name or password.', fix: 'Check the password.' } } }));
    expect(failed).toEqual({ tone: 'failed', text: 'Not connected', why: 'The mail server did not accept the user name or password.', fix: 'Check the password.' });
    expect(rowStatus(row({ status: { ok: true, at: '2025-01-01T10:00:00Z', error: null }, stale: true }))).toMatchObject({ tone: 'failed', why: 'No successful fetch for 3 check intervals.' });
  });
});

describe('Change Password of an Email Integration credential (logic)', () => {
  const run2 = (...actions: IntegrationPasswordAction[]) => actions.reduce(integrationPasswordReducer, initialIntegrationPasswordState);

  it('says when the two passwords differ, and nothing when they match', () => {
    const mismatch = run2({ type: 'edit', field: 'newPassword', value: 'new-secret' }, { type: 'edit', field: 'confirmPassword', value: 'new-secrte' });
    expect(integrationPasswordErrors(mismatch)).toEqual({ confirmPassword: 'The two passwords are not the same. Enter the new password again in both fields.' });
    const fixed = integrationPasswordReducer(mismatch, { type: 'edit', field: 'confirmPassword', value: 'new-secret' });
    expect(integrationPasswordErrors(fixed)).toEqual({});
  });

  it('opens again empty and ready after a change went through', () => {
    const stored = run2({ type: 'edit', field: 'newPassword', value: 'new-secret' }, { type: 'edit', field: 'confirmPassword', value: 'new-secret' }, { type: 'started' });
    expect(integrationPasswordReducer(stored, { type: 'opened' })).toEqual({ draft: { newPassword: '', confirmPassword: '', errors: {} }, busy: false, error: null });
  });

  it('shows main’s refusal under the field it is about, or as a box', () => {
    const started = run2({ type: 'started' });
    const aboutField = integrationPasswordReducer(started, { type: 'refused', error: { code: 'INVALID_INPUT', message: 'x', fieldErrors: { confirmPassword: 'Not the same.' } } });
    expect(aboutField).toMatchObject({ busy: false, error: null, draft: { errors: { confirmPassword: 'Not the same.' } } });
    const error = { code: 'ADMIN_REQUIRED' as const, message: 'Sign in as administrator.' };
    expect(integrationPasswordReducer(started, { type: 'refused', error })).toMatchObject({ busy: false, error });
  });
});
