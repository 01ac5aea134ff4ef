import { describe, expect, it } from 'vitest';
import { activityTypesReducer, initialActivityTypesState, recordTypeOptions, type ActivityTypesAction, type ActivityTypesState } from '../../../src/renderer/inbox/activity-types-state';
import type { ActivityTypeView } from '../../../src/shared/inbox';

const types: ActivityTypeView[] = [
  { id: 1, name: 'Web Lead', retired: false, inUse: true },
  { id: 2, name: 'Old Leads', retired: true, inUse: true },
  { id: 3, name: 'Web Enquiry', retired: false, inUse: false },
];
const run = (...actions: ActivityTypesAction[]): ActivityTypesState => actions.reduce(activityTypesReducer, initialActivityTypesState);
const refused = (message: string) => ({ code: 'ACTIVITY_TYPE_REFUSED' as const, message, fieldErrors: { name: message } });

describe('the Type manager (logic)', () => {
  it('offers the types that are not retired, and keeps showing a retired or unknown chosen type', () => {
    expect(recordTypeOptions(types, 'Web Lead')).toEqual([
      { value: 'Web Lead', label: 'Web Lead' },
      { value: 'Web Enquiry', label: 'Web Enquiry' },
    ]);
    expect(recordTypeOptions(types, 'Old Leads').at(-1)).toEqual({ value: 'Old Leads', label: 'Old Leads (retired)' });
    expect(recordTypeOptions([], 'Web Lead')).toEqual([{ value: 'Web Lead', label: 'Web Lead' }]);
  });

  it('renames in place: the row keeps what was typed and shows why main refused it', () => {
    const renaming = run({ type: 'loaded', types }, { type: 'startRename', id: 3 }, { type: 'editRename', value: 'Web Lead' });
    expect(renaming.edit).toEqual({ kind: 'renaming', id: 3, name: 'Web Lead', error: null });
    const clash = run({ type: 'loaded', types }, { type: 'changeStarted', id: 3 }, { type: 'changeRefused', error: refused('There is already a type called “Web Lead”.'), renaming: { id: 3, name: 'Web Lead' } });
    expect(clash.edit).toEqual({ kind: 'renaming', id: 3, name: 'Web Lead', error: 'There is already a type called “Web Lead”.' });
  });

  it('puts a refused new name under the New activity type field, and empties it once added', () => {
    const refusedAdd = run({ type: 'loaded', types }, { type: 'editNewName', value: 'Web Lead' }, { type: 'changeStarted', id: null }, { type: 'changeRefused', error: refused('Already there.'), renaming: null });
    expect(refusedAdd).toMatchObject({ newName: 'Web Lead', newNameError: 'Already there.', edit: { kind: 'idle' }, failure: null });
    const added = activityTypesReducer(refusedAdd, { type: 'changed', types: [...types, { id: 4, name: 'Partner', retired: false, inUse: false }], added: true });
    expect(added).toMatchObject({ newName: '', newNameError: null, list: { kind: 'loaded', types: expect.arrayContaining([expect.objectContaining({ name: 'Partner' })]) } });
  });

  it('shows a refused retire as a failure of its own', () => {
    const error = { code: 'INTERNAL' as const, message: 'The records could not be read.' };
    expect(run({ type: 'loaded', types }, { type: 'changeStarted', id: 1 }, { type: 'changeRefused', error, renaming: null })).toMatchObject({ failure: error, edit: { kind: 'idle' } });
  });
});
