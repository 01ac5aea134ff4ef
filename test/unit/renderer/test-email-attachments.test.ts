import { describe, expect, it } from 'vitest';
import { attachmentSizeLabel, initialTestEmailState, testEmailReducer, validateTestEmail, type TestEmailAction, type TestEmailState } from '../../../src/renderer/send-direct/test-email-state';
import type { ChosenAttachment } from '../../../src/shared/test-email';

const file = (n: number, name = `file-${n}.pdf`): ChosenAttachment => ({ handle: n.toString(16).padStart(32, '0'), name, size: 2048 * n });
const run = (...actions: TestEmailAction[]): TestEmailState => actions.reduce(testEmailReducer, initialTestEmailState);
const openState = (state: TestEmailState) => {
  if (state.kind !== 'open') throw new Error('the dialog should be open');
  return state;
};

describe('the test email’s attachments', () => {
  it('lists chosen files once each, removes them, and sends their handles only', () => {
    const state = openState(
      run({ type: 'open', to: 'a@example.com' }, { type: 'attaching' }, { type: 'attached', files: [file(1, 'offer.pdf'), file(2)] }, { type: 'attached', files: [file(1, 'offer.pdf')] }, { type: 'removeAttachment', handle: file(2).handle }),
    );
    expect(state.attachments).toEqual([file(1, 'offer.pdf')]);
    expect(state.attaching).toBe(false);
    expect(validateTestEmail(state.draft, state.attachments)).toMatchObject({ ok: true, email: { attachments: [file(1).handle] } });
  });

  it('shows a refused file’s message until the attachments change', () => {
    const refused = run({ type: 'open', to: 'a@example.com' }, { type: 'attaching' }, { type: 'attachRefused', error: { code: 'ATTACHMENT_REFUSED', message: 'The file “/tmp/x” is larger than 10 MB, so it was not attached.' } });
    expect(openState(refused).errors).toEqual({ attachments: 'The file “/tmp/x” is larger than 10 MB, so it was not attached.' });
    expect(openState(refused).attaching).toBe(false);
    expect(openState(testEmailReducer(refused, { type: 'attached', files: [file(3)] })).errors).toEqual({});
  });

  it('says “at most 20 files” as soon as there are more, and keeps the files when the dialog is closed and opened', () => {
    const many = Array.from({ length: 21 }, (_, index) => file(index + 1));
    const state = run({ type: 'open', to: 'a@example.com' }, { type: 'attached', files: many });
    expect(openState(state).errors).toEqual({ attachments: 'Attach at most 20 files.' });
    const reopened = openState(testEmailReducer(testEmailReducer(state, { type: 'close' }), { type: 'open', to: 'a@example.com' }));
    expect(reopened.attachments).toHaveLength(21);
  });

  it('shows sizes as a file manager does', () => {
    expect([attachmentSizeLabel(15), attachmentSizeLabel(12_345), attachmentSizeLabel(3.4 * 1024 * 1024)]).toEqual(['1 KB', '12 KB', '3.4 MB']);
  });
});
