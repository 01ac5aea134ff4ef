import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SendDirectValues } from './harness/send-direct-section';
import type { MailSettingsSession } from './harness/bed';
import { filesContaining } from './harness/files';
import { lookupSendDirectPassword } from './harness/keychain';
import { createSwitchableKeychain } from './harness/keychain-switch';
import { publishReadmeScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * The Send Direct section of the Mail Settings window (seed 000), driven in Chromium against the real
 * services: settings file on disk, password in the test bed's real keyring.
 */

const officeSettings: SendDirectValues = {
  serverName: 'smtp.office365.com',
  senderName: 'Legrand Sales Team',
  senderAddress: 'sales@legrand-demo.example',
  userName: 'sales@legrand-demo.example',
  authMethod: 'Normal Password (basic authentication)',
  port: '465',
  security: 'SSL/TLS',
};
const officePassword = 'Tr0ub4dor&3 e2e ✓';

const windows = useMailSettingsWindows();
const openWindow = windows.open;

/** Fills every field with `officeSettings` and a password, and saves. */
async function saveOfficeSettings(current: MailSettingsSession): Promise<string> {
  await current.app.sendDirect.fill({ ...officeSettings, password: officePassword });
  await current.app.sendDirect.save();
  return current.app.sendDirect.waitForSaved();
}

describe('Send Direct: saving', () => {
  it('shows the seed’s section with empty fields and the usual STARTTLS port on a first start', async () => {
    const { app } = await openWindow('first-start');
    expect(await app.isShown('Send direct from Legrand CRM (Recommended)')).toBe(true);
    expect(await app.isShown('Email messages are sent directly from Legrand CRM.')).toBe(true);
    expect(await app.isShown('The main server configuration typically is the same as your Outlook account')).toBe(true);
    expect(await app.isShown('If your outgoing server requires authentication, enter the login details')).toBe(true);
    expect(await app.sendDirect.values()).toEqual({
      serverName: '',
      senderName: '',
      senderAddress: '',
      userName: '',
      authMethod: 'Normal Password (basic authentication)',
      port: '587',
      security: 'STARTTLS',
    });
    expect(await app.sendDirect.password()).toMatchObject({ visible: true, value: '', editable: true });
    expect(await app.sendDirect.isCancelEnabled()).toBe(false);
  });

  it('saves the settings and shows them again after the app is restarted', async () => {
    const current = await openWindow('save-and-restart');
    const savedShot = await saveOfficeSettings(current);
    await publishReadmeScreenshot(savedShot);

    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();

    expect(await current.app.sendDirect.values()).toEqual(officeSettings);
    expect(await current.app.sendDirect.statusText()).toBe('');
  });

  it('keeps the password in the keychain and in no file of the data directory', async () => {
    const current = await openWindow('password-in-keychain');
    await saveOfficeSettings(current);
    await current.host.stop();

    expect(await lookupSendDirectPassword(current.dataDir)).toBe(officePassword);
    // The scan does read the files: the server name the user typed is found in the settings file.
    expect(await filesContaining(current.dataDir, officeSettings.serverName)).toEqual([join(current.dataDir, 'settings.json')]);
    expect(await filesContaining(current.dataDir, officePassword)).toEqual([]);
  });

  it('shows a stored password as stored, never its value, after a restart', async () => {
    const current = await openWindow('password-stored');
    await saveOfficeSettings(current);
    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();

    const password = await current.app.sendDirect.password();
    expect(password).toMatchObject({ visible: true, value: '', editable: false });
    expect(password.placeholder).toContain('stored in the keychain');
    // Not in any input, not anywhere in the page.
    expect(await current.app.allInputValues()).not.toContain(officePassword);
    expect(await current.app.pageHtml()).not.toContain(officePassword);
  });

  it('puts the port that goes with the SSL choice, unless the user typed one', async () => {
    const { app } = await openWindow('port-follows-ssl');
    await app.sendDirect.chooseSecurity('SSL/TLS');
    expect((await app.sendDirect.values()).port).toBe('465');
    await app.sendDirect.chooseSecurity('STARTTLS');
    expect((await app.sendDirect.values()).port).toBe('587');

    await app.sendDirect.typeInto('port', '2525');
    await app.sendDirect.chooseSecurity('SSL/TLS');
    expect(await app.sendDirect.values()).toMatchObject({ port: '2525', security: 'SSL/TLS' });
  });

  it('Cancel puts back the saved values', async () => {
    const current = await openWindow('cancel');
    await saveOfficeSettings(current);
    await current.app.sendDirect.fill({ serverName: 'smtp.mistake.example', port: '25', security: 'None' });
    expect(await current.app.sendDirect.statusText()).toBe('You have unsaved changes.');
    await current.app.screenshot('unsaved-changes');

    await current.app.sendDirect.cancel();

    expect(await current.app.sendDirect.values()).toEqual(officeSettings);
    expect(await current.app.sendDirect.isCancelEnabled()).toBe(false);
  });

  it('shows settings saved elsewhere (another window, the CLI) in a window without unsaved changes', async () => {
    const current = await openWindow('changed-elsewhere');
    const saved = await current.host.dispatch('saveSendDirect', {
      settings: { ...officeSettings, authMethod: 'password', port: 587, security: 'starttls', serverName: 'smtp.elsewhere.example' },
      password: { kind: 'keep' },
    });
    expect(saved.ok).toBe(true);

    await expect.poll(async () => (await current.app.sendDirect.values()).serverName).toBe('smtp.elsewhere.example');
    expect(await current.app.sendDirect.values()).toMatchObject({ security: 'STARTTLS', port: '587' });
  });
});

describe('Send Direct: checking what the user typed', () => {
  it('explains each empty required field and saves nothing', async () => {
    const current = await openWindow('required-fields');
    await current.app.sendDirect.save();

    expect(await current.app.sendDirect.waitForNothingSaved()).toBe('Some settings need your attention. Nothing was saved.');
    expect(await current.app.sendDirect.fieldError('serverName')).toBe('Enter the name or IP address of your outgoing mail server, for example smtp.office365.com.');
    expect(await current.app.sendDirect.fieldError('senderName')).toBe('Enter the name your recipients should see, for example your name or your company’s.');
    expect(await current.app.sendDirect.fieldError('senderAddress')).toBe('Enter the email address your messages are sent from.');
    expect(await current.app.sendDirect.fieldError('userName')).toBe('Enter the user name for your mail server, usually your email address.');
    expect(await current.app.sendDirect.fieldError('port')).toBeNull();
    // The keyboard is taken to the first field to fix.
    expect(await current.app.focusedFieldLabel()).toBe('Server Name (or IP address)');

    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();
    expect((await current.app.sendDirect.values()).serverName).toBe('');
  });

  it('explains a bad server name, email address and port under each field, and saves nothing', async () => {
    const current = await openWindow('bad-values');
    await current.app.sendDirect.fill({
      ...officeSettings,
      serverName: 'http://smtp.office365.com',
      senderAddress: 'sales at legrand-demo.example',
      port: '70000',
      password: officePassword,
    });
    await current.app.sendDirect.save();

    await current.app.sendDirect.waitForNothingSaved();
    expect(await current.app.sendDirect.fieldError('serverName')).toBe(
      'This is not a server name or IP address. Use a name like smtp.example.com, without http:// or spaces.',
    );
    expect(await current.app.sendDirect.fieldError('senderAddress')).toBe('This is not an email address. It should look like name@example.com.');
    expect(await current.app.sendDirect.fieldError('port')).toBe('The port number must be between 1 and 65535. Most servers use 587 or 465.');
    expect(await current.app.sendDirect.fieldError('senderName')).toBeNull();

    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();
    expect((await current.app.sendDirect.values()).serverName).toBe('');
    expect(await lookupSendDirectPassword(current.dataDir)).toBeNull();
  });

  it('checks a field when the user leaves it, and clears the message once it is right', async () => {
    const { app } = await openWindow('check-on-leave');
    await app.sendDirect.typeInto('serverName', 'smtp office365 com');
    expect(await app.sendDirect.waitForFieldError('serverName')).toContain('This is not a server name or IP address.');
    // Fields not visited yet stay quiet.
    expect(await app.sendDirect.fieldError('senderAddress')).toBeNull();

    await app.sendDirect.typeInto('port', '58x');
    expect(await app.sendDirect.waitForFieldError('port')).toBe('Enter the port number as digits, for example 587.');

    await app.sendDirect.fill({ serverName: 'smtp.office365.com', port: '587' });
    expect(await app.sendDirect.fieldError('serverName')).toBeNull();
    expect(await app.sendDirect.fieldError('port')).toBeNull();
  });

  it('does not lose the click on Save when leaving a wrong field shows its message', async () => {
    const { app } = await openWindow('click-while-message-appears');
    await app.sendDirect.fill({ ...officeSettings, port: '587', security: 'STARTTLS', password: 'x' });
    // The cursor is still in the field: pressing Save is what leaves it.
    await app.sendDirect.fill({ senderAddress: 'not-an-address' });
    await app.sendDirect.save();

    await app.sendDirect.waitForNothingSaved();
    expect(await app.sendDirect.fieldError('senderAddress')).toBe('This is not an email address. It should look like name@example.com.');
  });

  it('shows the messages main sends back when it refuses fields', async () => {
    const current = await openWindow('refused-by-main');
    await current.app.sendDirect.fill(officeSettings);
    current.host.answerNextCallWith('saveSendDirect', {
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'This server does not accept mail from this sender address.',
        fieldErrors: { 'settings.senderAddress': 'This server does not accept mail from this sender address.' },
      },
    });
    await current.app.sendDirect.save();

    expect(await current.app.sendDirect.waitForSaveFailed()).toEqual({ message: 'This server does not accept mail from this sender address.', fix: null });
    expect(await current.app.sendDirect.fieldError('senderAddress')).toBe('This server does not accept mail from this sender address.');
    // What the user typed is still there to correct.
    expect(await current.app.sendDirect.values()).toEqual(officeSettings);
  });
});

describe('Send Direct: the password', () => {
  it('asks for a new password twice and refuses two different ones', async () => {
    const current = await openWindow('change-password');
    await saveOfficeSettings(current);
    const { app } = current;

    await app.sendDirect.openChangePassword();
    await app.sendDirect.enterNewPassword('new-secret-1', 'new-secret-2');
    await app.sendDirect.confirmNewPassword();
    expect(await app.sendDirect.changePasswordError('Confirm Password')).toBe('The two passwords are not the same. Enter the new password again in both fields.');
    expect(await app.sendDirect.isChangePasswordOpen()).toBe(true);

    await app.sendDirect.enterNewPassword('', '');
    await app.sendDirect.confirmNewPassword();
    expect(await app.sendDirect.changePasswordError('New Password')).toBe('Enter the password for your mail server.');

    await app.sendDirect.enterNewPassword('new-secret-2', 'new-secret-2');
    await app.sendDirect.confirmNewPassword();
    await app.sendDirect.waitForChangePasswordClosed();
    expect((await app.sendDirect.password()).hint).toBe('New password entered. It replaces the stored one in the keychain when you click Save.');
    await app.screenshot('new-password-pending');
    // Not stored before Save.
    expect(await lookupSendDirectPassword(current.dataDir)).toBe(officePassword);

    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    expect(await lookupSendDirectPassword(current.dataDir)).toBe('new-secret-2');
    expect(await app.sendDirect.password()).toMatchObject({ value: '', hint: null });
  });

  it('keeps the stored password when the Change Password dialog is cancelled', async () => {
    const current = await openWindow('change-password-cancel');
    await saveOfficeSettings(current);
    await current.app.sendDirect.openChangePassword();
    await current.app.sendDirect.enterNewPassword('never-used', 'never-used');
    await current.app.sendDirect.cancelChangePassword();
    await current.app.sendDirect.waitForChangePasswordClosed();

    expect(await current.app.sendDirect.isCancelEnabled()).toBe(false);
    await current.app.sendDirect.save();
    await current.app.sendDirect.waitForSaved();
    expect(await lookupSendDirectPassword(current.dataDir)).toBe(officePassword);
  });

  it('removes the stored password on Save after Remove', async () => {
    const current = await openWindow('remove-password');
    await saveOfficeSettings(current);
    await current.app.sendDirect.removePassword();
    expect((await current.app.sendDirect.password()).hint).toBe('The stored password is removed from the keychain when you click Save.');
    await current.app.screenshot('password-remove-pending');

    await current.app.sendDirect.save();
    await current.app.sendDirect.waitForSaved();

    expect(await lookupSendDirectPassword(current.dataDir)).toBeNull();
    expect(await current.app.sendDirect.password()).toMatchObject({ visible: true, editable: true, placeholder: '' });
  });

  it('hides the password field for Modern Authentication', async () => {
    const current = await openWindow('modern-auth');
    await saveOfficeSettings(current);

    await current.app.sendDirect.chooseAuthMethod('Modern Authentication (OAuth 2.0) - Office 365');
    expect((await current.app.sendDirect.password()).visible).toBe(false);
    await current.app.screenshot('modern-auth');
    await current.app.sendDirect.chooseAuthMethod('Normal Password (basic authentication)');
    expect((await current.app.sendDirect.password()).visible).toBe(true);

    await current.app.sendDirect.chooseAuthMethod('Modern Authentication (OAuth 2.0) - Office 365');
    await current.app.sendDirect.save();
    await current.app.sendDirect.waitForSaved();
    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();
    expect((await current.app.sendDirect.values()).authMethod).toBe('Modern Authentication (OAuth 2.0) - Office 365');
    expect((await current.app.sendDirect.password()).visible).toBe(false);
    // Modern Authentication signs in instead: no password is kept for it.
    expect(await lookupSendDirectPassword(current.dataDir)).toBeNull();
  });
});

describe('Send Direct: when something outside the form fails', () => {
  it('says what is wrong with the keychain and how to fix it, and keeps what the user typed', async () => {
    const keychain = createSwitchableKeychain();
    const current = await openWindow('keychain-unavailable-on-save', { secrets: keychain });
    await current.app.sendDirect.fill({ ...officeSettings, password: officePassword });
    keychain.reachable = false;
    await current.app.sendDirect.save();

    const shown = await current.app.sendDirect.waitForSaveFailed();
    expect(shown.message).toBe('Mail Settings can’t reach your system keychain, where it keeps passwords and sign-ins.');
    expect(shown.fix).toContain('Nothing was saved in plain text.');
    expect(await current.app.sendDirect.values()).toEqual(officeSettings);

    // Nothing reached a file either: the keychain goes first, and it refused.
    keychain.reachable = true;
    await current.restartApp();
    await current.app.sendDirect.waitForLoaded();
    expect((await current.app.sendDirect.values()).serverName).toBe('');
  });

  it('says the keychain is unreachable when loading, and loads once it is back', async () => {
    const keychain = createSwitchableKeychain();
    keychain.reachable = false;
    const { app } = await windows.openRaw('keychain-unavailable-on-load', { secrets: keychain });

    const shown = await app.sendDirect.waitForLoadFailed();
    expect(shown.message).toBe('Mail Settings can’t reach your system keychain, where it keeps passwords and sign-ins.');
    expect(shown.fix).toContain('Sign in to a desktop session that runs a keyring');

    keychain.reachable = true;
    await app.sendDirect.retryLoad();
    await app.sendDirect.waitForLoaded();
    expect((await app.sendDirect.values()).port).toBe('587');
  });

  it('says the settings file is damaged and what to do, when it was edited by hand', async () => {
    const current = await openWindow('settings-damaged');
    await saveOfficeSettings(current);
    await current.host.stop();
    const settingsPath = join(current.dataDir, 'settings.json');
    const stored = JSON.parse(await readFile(settingsPath, 'utf8')) as { mailboxes: { send: { serverName: string } } };
    stored.mailboxes.send.serverName = 'smtp office365 com';
    await writeFile(settingsPath, JSON.stringify(stored, null, '\t'));

    await current.host.start();
    await current.app.reload();

    const shown = await current.app.sendDirect.waitForLoadFailed();
    expect(shown.message).toBe('The Mail Settings file is damaged or was edited by hand, so it can’t be read.');
    expect(shown.fix).toContain(settingsPath);
  });
});
