import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/shared/errors';
import type { RecordsDatabaseView } from '../../../src/shared/records-database';
import {
  draftErrors,
  formOf,
  initialRecordsDatabaseState,
  passwordStored,
  recordsDatabaseReducer,
  type RecordsDatabaseAction,
  type RecordsDatabaseState,
} from '../../../src/renderer/records-database/records-database-state';

const run = (state: RecordsDatabaseState, ...actions: RecordsDatabaseAction[]): RecordsDatabaseState => actions.reduce(recordsDatabaseReducer, state);

const builtInView: RecordsDatabaseView = { saved: { choice: 'builtIn' }, inUse: { kind: 'builtIn', file: '/data/records.sqlite' }, note: null };
const sharedView: RecordsDatabaseView = {
  saved: { choice: 'postgres', url: 'postgres://crm@db.example.com:5432/mail_settings', passwordStored: true },
  inUse: { kind: 'postgres', url: 'postgres://crm:***@db.example.com:5432/mail_settings', source: 'settings' },
  note: null,
};

function editing(state: RecordsDatabaseState) {
  if (state.kind !== 'editing') throw new Error(`expected the form, got ${state.kind}`);
  return state;
}

describe('the Records database form', () => {
  it('starts from what is saved: the built-in database, or the shared address with the password field empty', () => {
    expect(editing(run(initialRecordsDatabaseState, { type: 'loaded', view: builtInView })).draft).toEqual({ choice: 'builtIn', url: '', password: '', errors: {} });
    const shared = editing(run(initialRecordsDatabaseState, { type: 'loaded', view: sharedView }));
    expect(shared.draft).toEqual({ choice: 'postgres', url: 'postgres://crm@db.example.com:5432/mail_settings', password: '', errors: {} });
    expect(passwordStored(shared.view)).toBe(true);
  });

  it('sends an empty password field as "keep the stored one", a typed one as new, and nothing of the address for the built-in choice', () => {
    const shared = editing(run(initialRecordsDatabaseState, { type: 'loaded', view: sharedView }));
    expect(formOf(shared.draft)).toEqual({ choice: 'postgres', url: 'postgres://crm@db.example.com:5432/mail_settings', password: { kind: 'keep' } });
    const typed = editing(run(shared, { type: 'edit', field: 'password', value: 's3cret' }, { type: 'edit', field: 'url', value: '  postgres://crm@db2.example.com/crm  ' }));
    expect(formOf(typed.draft)).toEqual({ choice: 'postgres', url: 'postgres://crm@db2.example.com/crm', password: { kind: 'set', value: 's3cret' } });
    expect(formOf(editing(run(typed, { type: 'chose', choice: 'builtIn' })).draft)).toEqual({ choice: 'builtIn' });
  });

  it('asks for the address before Test or Save of a shared database', () => {
    const chosen = editing(run(initialRecordsDatabaseState, { type: 'loaded', view: builtInView }, { type: 'chose', choice: 'postgres' }));
    const errors = draftErrors(chosen.draft);
    expect(errors.url).toMatch(/^Enter the address of the PostgreSQL database/);
    expect(draftErrors({ ...chosen.draft, choice: 'builtIn' })).toEqual({});
    const rejected = editing(run(chosen, { type: 'rejectedLocally', errors }));
    expect(rejected.draft.errors).toEqual(errors);
    // Typing in the field takes its problem away.
    expect(editing(run(rejected, { type: 'edit', field: 'url', value: 'p' })).draft.errors).toEqual({});
  });

  it('puts main’s refusal under the address field and keeps its fix; a new password or address answers it', () => {
    const error = {
      code: ErrorCode.DatabaseAuthFailed,
      message: 'PostgreSQL refused the user name or password in the database address postgres://crm:***@db.example.com/crm.',
      fix: 'Correct the user name and password in the address.',
      fieldErrors: { url: 'PostgreSQL refused the user name or password in the database address postgres://crm:***@db.example.com/crm.' },
    };
    const started = editing(run(initialRecordsDatabaseState, { type: 'loaded', view: sharedView }, { type: 'started', busy: 'testing' }));
    expect(started.busy).toBe('testing');
    const refused = editing(run(started, { type: 'refused', error }));
    expect(refused).toMatchObject({ busy: null, outcome: { kind: 'failed', error }, draft: { errors: { url: error.message } } });
    const retyped = editing(run(refused, { type: 'edit', field: 'password', value: 'x' }));
    expect(retyped.outcome).toBeNull();
    expect(retyped.draft.errors).toEqual({});
  });

  it('after Save shows main’s sentence and the new view, and forgets the typed password', () => {
    const typed = run(initialRecordsDatabaseState, { type: 'loaded', view: builtInView }, { type: 'chose', choice: 'postgres' }, { type: 'edit', field: 'url', value: 'postgres://crm@db.example.com:5432/mail_settings' }, { type: 'edit', field: 'password', value: 's3cret' }, { type: 'started', busy: 'saving' });
    const saved = editing(run(typed, { type: 'saved', saved: { ...sharedView, note: 'The setting saved differs from the records database in use now.', message: 'Saved. It takes effect when Mail Settings restarts.' } }));
    expect(saved.outcome).toEqual({ kind: 'saved', message: 'Saved. It takes effect when Mail Settings restarts.' });
    expect(saved.draft.password).toBe('');
    expect(saved.view.note).toBe('The setting saved differs from the records database in use now.');
    expect(JSON.stringify(saved)).not.toContain('s3cret');
  });

  it('says why the dialog could not load', () => {
    const error = { code: ErrorCode.AdminRequired, message: 'An administrator must sign in.' };
    expect(run(initialRecordsDatabaseState, { type: 'loadFailed', error })).toEqual({ kind: 'loadFailed', error });
  });
});
