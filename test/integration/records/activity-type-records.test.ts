import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordsAdapters, type OpenedRecords } from '../../support/records-adapters';

const note = (typeName: string) => ({ typeName, subject: 'Hello', from: 'sales@example.test', to: [], occurredAt: new Date('2026-11-24T10:00:00Z'), bodyHtml: '', rawMessage: null });

describe.each(recordsAdapters)('the Type manager’s activity types ($name)', (adapter) => {
  let records: OpenedRecords;
  beforeEach(async () => {
    records = await adapter.open();
  });
  afterEach(() => records.close());

  it('lists the types by name whatever their letter case, finds one by name in any case, and refuses a second of the same name', async () => {
    const { types } = records.store;
    const added = await types.add('call');
    expect(added).toMatchObject({ name: 'call', retired: false, noteCount: 0 });
    expect((await types.list()).map((type) => type.name)).toEqual(['call', 'Email Sent', 'Service Desk', 'Web Lead']);
    expect(await types.byName('WEB LEAD')).toMatchObject({ name: 'Web Lead', retired: false });
    expect(await types.byId(added.id)).toEqual(added);
    expect(await types.byName('Meeting')).toBeNull();
    await expect(types.add('Call')).rejects.toThrow();
    expect(await types.list()).toHaveLength(4);
  });

  it('renames a type: its notes show the new name', async () => {
    const { store } = records;
    const webLead = (await store.types.byName('Web Lead'))!;
    await store.addActivityNote(note('Web Lead'));
    await store.types.rename(webLead.id, 'Website Lead');
    expect(await store.types.byId(webLead.id)).toMatchObject({ name: 'Website Lead', noteCount: 1 });
    expect((await store.activityNotes()).map((n) => n.type)).toEqual(['Website Lead']);
  });

  it('deletes a retired type no note has, keeps one in use for its notes (no longer offered), and offers it again when restored', async () => {
    const { store } = records;
    const unused = await store.types.add('Call');
    const used = (await store.types.byName('Email Sent'))!;
    await store.addActivityNote(note('Email Sent'));
    expect(await store.types.retire(unused.id, new Date('2026-11-25T09:00:00Z'))).toBe('deleted');
    expect(await store.types.byId(unused.id)).toBeNull();
    expect(await store.types.retire(used.id, new Date('2026-11-25T09:00:00Z'))).toBe('retired');
    expect(await store.types.byId(used.id)).toEqual({ id: used.id, name: 'Email Sent', retired: true, noteCount: 1 });
    expect((await store.activityNotes()).map((n) => n.type)).toEqual(['Email Sent']);
    await store.types.restore(used.id);
    expect(await store.types.byId(used.id)).toMatchObject({ retired: false });
    expect(await store.types.retire(unused.id, new Date())).toBe('unknown');
  });
});
