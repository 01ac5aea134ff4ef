import { describe, expect, it } from 'vitest';
import { inboxFormOf, inboxFormReducer, isInboxDirty, validateInboxDraft, type InboxFormAction, type InboxFormState } from '../../../src/renderer/inbox/inbox-form-state';
import { inboxSettingsSchema, type InboxView } from '../../../src/shared/inbox';

const saved: InboxView = {
  inbox: 'lead',
  settings: { serverName: 'imap.example.com', userName: 'sales@example.com', authMethod: 'password', port: 993, security: 'tls', allowInsecureAuth: false, recordType: 'Web Lead' },
  passwordStored: true,
  warnings: [],
};
const run = (view: InboxView, ...actions: InboxFormAction[]): InboxFormState => actions.reduce(inboxFormReducer, inboxFormOf(view));

describe('the Folder field', () => {
  it('shows INBOX for settings saved before it existed, and leaves such a form unchanged', () => {
    const form = run(saved);
    expect(form.draft.folder).toBe('INBOX');
    expect(isInboxDirty(form)).toBe(false);
    expect(inboxSettingsSchema.safeParse(saved.settings).success).toBe(true);
  });

  it('saves the folder trimmed, and says what to enter when it is empty', () => {
    const typed = run(saved, { type: 'edit', field: 'folder', value: ' INBOX/Web Leads ' });
    expect(isInboxDirty(typed)).toBe(true);
    expect(validateInboxDraft(typed.draft)).toMatchObject({ ok: true, settings: { folder: 'INBOX/Web Leads' } });
    const emptied = run(saved, { type: 'edit', field: 'folder', value: '  ' }, { type: 'blur', field: 'folder' });
    expect(emptied.errors.folder).toBe('Enter the folder to read, usually INBOX.');
    expect(validateInboxDraft({ ...typed.draft, folder: 'Leads\nX' })).toMatchObject({ ok: false, errors: { folder: expect.stringMatching(/control characters/) } });
  });
});
