import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addUser, idpControl, testbed, type TestUser } from '../test/testbed/client';
import { authenticatorFor, createSignedInAdministrator, freshCode, type TestAdministrator } from './harness/administrator';
import type { MailSettingsSession } from './harness/bed';
import { filesContainingAny } from './harness/files';
import type { InboxValues } from './harness/inbox-dialog';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * Administrators (issue 14; seeds 001 and 003) in Chromium, through the real services: windows that start
 * WITHOUT an administrator. The authenticator app is the `otpauth` package, fed with the setup key as the
 * screen shows it: the app's own TOTP code never computes a code here.
 */

const windows = useMailSettingsWindows();

const administrator = { email: 'it-admin@example.com', password: 'a quiet harbour at dawn' } as const;

function dovecotValues(user: TestUser): Partial<InboxValues> {
  return { serverName: testbed().host, security: 'SSL/TLS', port: String(testbed().dovecot.ports.imaps), userName: user.email };
}

const newMailbox = (kind: string): Promise<TestUser> => addUser(`${kind}-${randomUUID().slice(0, 8)}@example.test`);

/** A window without an administrator, then one created and signed in through the app's public channels. */
async function openWithAdministrator(name: string): Promise<{ readonly current: MailSettingsSession; readonly admin: TestAdministrator }> {
  const current = await windows.open(name, { administrator: false });
  current.createdAdministrators.push(administrator.email);
  const admin = await createSignedInAdministrator((channel, payload) => current.host.dispatch(channel, payload), administrator);
  await current.app.admin.waitForSignedInAs(administrator.email);
  return { current, admin };
}

describe('Administrators: the first one, created from an admin-only action', () => {
  it('asks to create the first administrator on Save, sets up 2FA with the setup key read off the screen, then saves', async () => {
    const user = await newMailbox('first-admin');
    const current = await windows.open('admin-first', { administrator: false });
    current.createdAdministrators.push(administrator.email);
    const { app } = current;
    expect(await app.admin.indicator()).toBe('Sign in as administrator');

    await app.leadInbox.openSettings();
    await app.leadInbox.fill({ ...dovecotValues(user), password: user.password });
    await app.leadInbox.save();
    // Main refused (no administrator yet): the prompt offers to create the first one instead.
    expect(await app.admin.waitForPrompt()).toBe('Create the first administrator');
    await app.screenshot('admin-create-first');

    // The strength rules, in words, as main says them.
    await app.admin.createFirst(administrator.email, 'short');
    await expect.poll(() => app.admin.fieldError('Password')).toContain('Use at least 12 characters.');
    await app.admin.createFirst(administrator.email, administrator.password);

    const setup = await app.admin.waitForTwoFactorSetup();
    await publishScreenshot(setup.screenshot, 'admin-2fa-setup.png');
    expect(setup.setupKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    expect(setup.qrCodeName).toContain('QR code');
    // Drawn in the page (inline SVG), not an image fetched from anywhere.
    const drawing = await app.admin.qrCodeDrawing();
    expect(drawing).toMatchObject({ tag: 'svg', imageSources: 0 });
    expect(drawing.squares).toBeGreaterThan(200);

    // The authenticator app, given the key as shown: its number turns 2FA on.
    const authenticator = authenticatorFor(setup.setupKey);
    await app.admin.submitCode(authenticator.generate());
    const recoveryCodes = await app.admin.waitForRecoveryCodes();
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/);
    await app.admin.done();

    // Signed in: the Save that asked goes through.
    await app.admin.waitForPromptClosed();
    await app.leadInbox.waitForSaved();
    expect(await app.admin.indicator()).toBe(`Administrator: ${administrator.email} — Sign out`);

    // Nothing secret in a file of the data dir: the password, the TOTP secret (any spelling), the codes.
    const key = setup.setupKey.replace(/ /g, '');
    const secrets = [administrator.password, key, key.toLowerCase(), setup.setupKey, ...recoveryCodes, ...recoveryCodes.map((code) => code.replace('-', ''))];
    expect(await filesContainingAny(current.dataDir, secrets)).toEqual([]);
  });
});

describe('Administrators: signing in', () => {
  it('signs out and in again (password, then the security number); a wrong password, a wrong number and a replayed one are refused', async () => {
    const { current, admin } = await openWithAdministrator('admin-sign-in');
    const { app } = current;
    await app.admin.signOut();
    expect(await app.admin.indicator()).toBe('Sign in as administrator');

    await app.admin.openSignIn();
    await app.admin.signIn(admin.email, 'not the password at all');
    const credentials = await app.admin.waitForError('ADMIN_CREDENTIALS_WRONG', 'admin-credentials-wrong');
    expect(credentials.message).toBe('This email address and password do not match an administrator of Mail Settings.');

    await app.admin.signIn(admin.email, admin.password);
    expect(await app.admin.waitForCodeStep()).toContain('Enter the one-time security number from your authenticator app');
    await publishScreenshot(await app.screenshot('admin-sign-in-code'), 'admin-sign-in-code.png');

    // A number that is not the app's now (the right one, changed in its last digit).
    const right = admin.totp.generate();
    await app.admin.submitCode(right.slice(0, 5) + String((Number(right[5]) + 1) % 10));
    const wrong = await app.admin.waitForError('ADMIN_CODE_WRONG', 'admin-code-wrong');
    expect(wrong.message).toBe('This security number is not right.');
    expect(wrong.fix).toContain('authenticator app');

    // The right one signs in.
    const accepted = await freshCode(admin.totp, admin.usedStep);
    await app.admin.submitCode(accepted.code);
    await app.admin.waitForPromptClosed();
    await app.admin.waitForSignedInAs(admin.email);

    // Replay: the same number again, after signing out, is refused; the next step's number is accepted.
    await app.admin.signOut();
    await app.admin.openSignIn();
    await app.admin.signIn(admin.email, admin.password);
    await app.admin.waitForCodeStep();
    await app.admin.submitCode(accepted.code);
    const reused = await app.admin.waitForError('ADMIN_CODE_REUSED', 'admin-code-reused');
    expect(reused.message).toBe('This security number was used already: each one works once.');
    expect(reused.fix).toContain('next number');
    const next = await freshCode(admin.totp, accepted.step);
    await app.admin.submitCode(next.code);
    await app.admin.waitForPromptClosed();
    await app.admin.waitForSignedInAs(admin.email);
  });

  it('locks the administrator out after 5 wrong attempts, and says how long; the right password is refused meanwhile', async () => {
    const { current, admin } = await openWithAdministrator('admin-lockout');
    const { app } = current;
    await app.admin.signOut();
    await app.admin.openSignIn();
    await app.admin.signIn(admin.email, admin.password);
    await app.admin.waitForCodeStep();

    // Wrong numbers until main locks the administrator: the fifth wrong attempt does.
    const answers: string[] = [];
    for (let attempt = 1; attempt <= 6 && !answers.includes('ADMIN_LOCKED_OUT'); attempt += 1) {
      await app.admin.submitCode(String(100000 + attempt * 111));
      answers.push((await app.admin.shownError())?.code ?? 'none');
    }
    expect(answers.slice(0, 4)).toEqual(['ADMIN_CODE_WRONG', 'ADMIN_CODE_WRONG', 'ADMIN_CODE_WRONG', 'ADMIN_CODE_WRONG']);
    expect(answers.at(-1)).toBe('ADMIN_LOCKED_OUT');
    const locked = await app.admin.waitForError('ADMIN_LOCKED_OUT', 'admin-locked-out');
    expect(locked.message).toMatch(/^Too many wrong attempts: .+ can try again in [45] minutes\.$/);
    expect(locked.message).toContain(admin.email);

    // Back to the password (the lock ended the sign-in); the right password is refused meanwhile too.
    await app.admin.signIn(admin.email, admin.password);
    expect((await app.admin.waitForError('ADMIN_LOCKED_OUT', 'admin-locked-out-right-password')).message).toMatch(/can try again in [45] minutes?\.$/);
    expect(await app.admin.indicator()).toBe('Sign in as administrator');
  });
});

describe('Administrators: Reset Mailbox Counter (seed 003)', () => {
  it('is refused without an administrator (the login prompt shows), done after the sign-in and "Confirm you wish to proceed"; pre-filled when signed in', async () => {
    const user = await newMailbox('admin-counter');
    const { current, admin } = await openWithAdministrator('admin-reset-counter');
    const { app } = current;
    const inbox = app.leadInbox;
    await inbox.openSettings();
    await inbox.fill({ ...dovecotValues(user), password: user.password });
    await inbox.setKeepOnServer(true);
    await inbox.save();
    await inbox.waitForSaved();
    // The administrator leaves; someone else opens the settings.
    await inbox.cancel();
    await app.admin.signOut();
    await inbox.openSettings();
    // Main refuses the reset itself, whatever the window shows.
    expect(await app.callApi('resetInboxCounter', { inbox: 'lead' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });

    await app.page.getByRole('button', { name: 'Reset Mailbox Counter', exact: true }).click();
    expect(await app.admin.waitForPrompt()).toBe('Administrator sign-in');
    await app.screenshot('admin-reset-counter-sign-in');
    await app.admin.cancelPrompt();
    expect(await app.isShown('Mailbox counter reset')).toBe(false);

    // The administrator signs in (here with a recovery code, the other way in), then confirms.
    await app.page.getByRole('button', { name: 'Reset Mailbox Counter', exact: true }).click();
    await app.admin.signIn(admin.email, admin.password);
    await app.admin.waitForCodeStep();
    await app.admin.submitCode(admin.recoveryCodes.shift() ?? '');
    const confirmation = await app.admin.waitForConfirmation('Reset Mailbox Counter');
    expect(confirmation.who).toBe(`Signed in as ${admin.email}`);
    expect(confirmation.text).toMatch(/Confirm you wish to proceed\.$/);
    await app.admin.clickInPrompt('Reset the counter');
    await app.page.getByText('Mailbox counter reset: the next check reads the whole mailbox again.', { exact: true }).waitFor();

    // Signed in already: the prompt is pre-filled and only asks to confirm.
    await app.page.getByRole('button', { name: 'Reset Mailbox Counter', exact: true }).click();
    expect((await app.admin.waitForConfirmation('Reset Mailbox Counter')).who).toBe(`Signed in as ${admin.email}`);
    await publishScreenshot(await app.screenshot('admin-reset-counter-confirm'), 'admin-reset-counter-confirm.png');
    await app.admin.cancelPrompt();
  });
});

describe('Administrators: a mailbox that must re-authenticate (seed 003)', () => {
  it('a grant revoked at the identity provider: the banner for a user who is not an administrator, the pop-up for one, and Re-authenticate Now signs in again', async () => {
    const user = await addUser(`reauth-${randomUUID().slice(0, 8)}@example.test`);
    const { current, admin } = await openWithAdministrator('admin-reauth');
    const { app } = current;
    await app.sendDirect.fill({ serverName: 'smtp.office365.com', senderName: 'Legrand Sales Team', senderAddress: user.email, userName: user.email });
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    const first = await app.waitForSignInPopup();
    await app.completeIdpSignIn(first, user);
    await app.waitForPageClosed(first);
    await app.sendDirect.waitForSignedIn(user.email);
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();

    // Not an administrator: the banner says whose mail stopped and who can fix it.
    await app.admin.signOut();
    await idpControl.revokeUser(user.email);
    await app.regainFocus();
    const banner = await app.admin.waitForReauthBanner();
    expect(banner.messages).toContain(`Mail for ${user.email} has stopped: ask your administrator to re-authenticate.`);
    await publishScreenshot(banner.screenshot, 'reauth-banner.png');

    // An administrator signs in: the pop-up, with Re-authenticate Now.
    await app.admin.openSignIn();
    await app.admin.signIn(admin.email, admin.password);
    await app.admin.waitForCodeStep();
    await app.admin.submitCode(admin.recoveryCodes.shift() ?? '');
    await app.admin.waitForPromptClosed();
    const popup = await app.admin.waitForReauthPopup();
    expect(popup.addresses).toContain(user.email);
    await publishScreenshot(popup.screenshot, 'reauth-popup.png');

    // "Later" closes it until the list changes.
    await app.admin.later();
    expect(await app.admin.isReauthPopupOpen()).toBe(false);
    await app.reload();
    await app.sendDirect.waitForLoaded();
    await app.admin.waitForReauthPopup();

    await app.admin.reauthenticateNow(user.email);
    const signIn = await app.waitForSignInPopup();
    await app.completeIdpSignIn(signIn, user);
    await app.waitForPageClosed(signIn);
    await app.admin.waitForReauthPopupClosed();
    await app.sendDirect.waitForSignedIn(user.email);
    expect(await app.admin.isReauthBannerShown()).toBe(false);
  });
});
