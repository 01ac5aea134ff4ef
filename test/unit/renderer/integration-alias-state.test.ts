import { describe, expect, it } from 'vitest';
import type { AliasView } from '../../../src/shared/integration';
import { aliasesOf, aliasesReducer, checkAliasDraft, describeAliasTarget, initialAliasesState, type AliasesAction, type AliasesState } from '../../../src/renderer/integration/alias-state';

const credentialId = 'a1b2c3d4e5f6';
const defaultAlias: AliasView = { id: 'd1', address: 'sales@example.com', credentialId, target: { kind: 'lead', activityType: 'Web Lead', owner: '' }, isDefault: true };
const web: AliasView = { id: 'w1', address: 'sales+web@example.com', credentialId, target: { kind: 'lead', activityType: 'Web Lead', owner: 'sam@example.com' }, isDefault: false };
const other: AliasView = { id: 'o1', address: 'support@example.com', credentialId: 'other', target: { kind: 'serviceDesk', queue: 'Support' }, isDefault: true };
const run = (...actions: AliasesAction[]): AliasesState => actions.reduce(aliasesReducer, initialAliasesState());

describe('the aliases of an Email Integration mailbox (logic)', () => {
  it('lists this mailbox’s aliases only, its default alias first', () => {
    const early: AliasView = { ...web, id: 'e1', address: 'early@example.com' };
    expect(aliasesOf({ kind: 'loaded', aliases: [web, other, early, defaultAlias] }, credentialId)).toEqual([defaultAlias, early, web]);
  });

  it('describes each target with its defaults', () => {
    expect(describeAliasTarget(web.target)).toBe('Lead Inbox: “Web Lead” notes, owner sam@example.com');
    expect(describeAliasTarget(other.target)).toBe('Service Desk Inbox: cases in the Support queue');
  });

  it('checks an alias with the shared schema: an address, then an activity type or a queue', () => {
    const empty = checkAliasDraft(credentialId, initialAliasesState().draft);
    expect(empty).toEqual({
      ok: false,
      errors: { address: 'Enter the mailbox’s email address.', activityType: 'Choose the activity type of the notes.' },
    });
    const serviceDesk = run({ type: 'edit', field: 'address', value: 'help@example.com' }, { type: 'chooseTarget', kind: 'serviceDesk' });
    expect(checkAliasDraft(credentialId, serviceDesk.draft)).toEqual({ ok: false, errors: { queue: 'Enter the case queue, for example Support.' } });
    const complete = aliasesReducer(serviceDesk, { type: 'edit', field: 'queue', value: 'Support' });
    expect(checkAliasDraft(credentialId, complete.draft)).toEqual({
      ok: true,
      input: { address: 'help@example.com', credentialId, target: { kind: 'serviceDesk', queue: 'Support' } },
    });
  });

  it('empties the address once added, keeping the target for the next one', () => {
    const added = run(
      { type: 'loaded', aliases: [defaultAlias] },
      { type: 'edit', field: 'address', value: 'sales+web@example.com' },
      { type: 'edit', field: 'activityType', value: 'Web Lead' },
      { type: 'addStarted' },
      { type: 'changed', aliases: [defaultAlias, web], done: 'sales+web@example.com added.' },
    );
    expect(added).toMatchObject({ draft: { address: '', activityType: 'Web Lead' }, busy: { kind: 'idle' }, done: 'sales+web@example.com added.' });
  });

  it('puts a refused address under its field, and any other refusal in a box', () => {
    const adding = run({ type: 'edit', field: 'address', value: 'sales@example.com' }, { type: 'addStarted' });
    const clash = aliasesReducer(adding, { type: 'refused', error: { code: 'INVALID_INPUT', message: 'x', fieldErrors: { address: 'sales@example.com is already an alias.' } } });
    expect(clash).toMatchObject({ errors: { address: 'sales@example.com is already an alias.' }, failure: null });
    const error = { code: 'INTEGRATION_NOT_FOUND' as const, message: 'This alias was deleted meanwhile.' };
    expect(aliasesReducer(run({ type: 'deleteStarted', id: 'w1' }), { type: 'refused', error })).toMatchObject({ failure: error, busy: { kind: 'idle' } });
  });
});
