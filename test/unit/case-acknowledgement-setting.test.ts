import { describe, expect, it } from 'vitest';
import { inboxFormOf, inboxFormReducer, isInboxDirty, validateInboxForSave } from '../../src/renderer/inbox/inbox-form-state';
import { inboxSettingsSchema, type InboxView } from '../../src/shared/inbox';

const saved: InboxView = {
  inbox: 'serviceDesk',
  settings: { serverName: 'imap.example.com', userName: 'support@example.com', authMethod: 'password', port: 993, security: 'tls', allowInsecureAuth: false, recordType: 'Service Desk' },
  passwordStored: true,
  warnings: [],
};

describe('the Service Desk acknowledgement setting', () => {
  it('is off for settings saved without it, and for a new inbox', () => {
    expect(inboxFormOf(saved).draft.acknowledgeNewCases).toBe(false);
    expect(inboxFormOf({ ...saved, settings: null }).draft.acknowledgeNewCases).toBe(false);
    expect(inboxSettingsSchema.parse(saved.settings).acknowledgeNewCases).toBeUndefined();
  });

  it('ticked, makes the form changed and is saved; unticked again, is saved as absent (off)', () => {
    const ticked = inboxFormReducer(inboxFormOf(saved), { type: 'setAcknowledgeNewCases', value: true });
    expect(isInboxDirty(ticked)).toBe(true);
    expect(validateInboxForSave(ticked)).toMatchObject({ ok: true, settings: { acknowledgeNewCases: true } });
    const unticked = inboxFormReducer(ticked, { type: 'setAcknowledgeNewCases', value: false });
    expect(isInboxDirty(unticked)).toBe(false);
    const validation = validateInboxForSave(unticked);
    expect(validation.ok && 'acknowledgeNewCases' in validation.settings).toBe(false);
  });
});
