import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { addUser, idpControl, testbed, type TestUser } from '../test/testbed/client';
import { testbedProviders, type MailSettingsSession } from './harness/bed';
import { issuedTokensFoundIn } from './harness/files';
import { lookupOAuthSecret } from './harness/keychain';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * Modern Authentication in the Send Direct section (seeds 000 and 003), in Chromium against the real
 * services: the real MSAL and google-auth-library talk to the test bed's identity provider (HTTPS, login,
 * verification code and permissions pages), the sign-in "popup" and "system browser" are real pages of the
 * same browser, and tokens go to the test bed's real keyring.
 */

// The data dirs stay until the end: the last test looks for tokens in every file of every one of them.
const windows = useMailSettingsWindows({ keepDataDirs: true });
const openWindow = windows.open;

const newUser = (): Promise<TestUser> => addUser(`modern-${randomUUID().slice(0, 8)}@example.test`);

/** Office 365 in the popup, from "Sign in using Modern Authentication…" to "Signed in as …". */
async function signInWithOffice365(current: MailSettingsSession, user: TestUser): Promise<string> {
  const { app } = current;
  await app.sendDirect.clickSignIn();
  const popup = await app.waitForSignInPopup();
  await app.sendDirect.waitForWaitingForSignIn();
  await app.completeIdpSignIn(popup, user);
  await app.waitForPageClosed(popup);
  return app.sendDirect.waitForSignedIn(user.email);
}

describe('Modern Authentication: Office 365 in the sign-in popup', () => {
  it('signs in with password, verification code and consent, and stays signed in after a restart', async () => {
    const user = await newUser();
    const current = await openWindow('office365-sign-in');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    expect((await app.sendDirect.password()).visible).toBe(false);

    await app.sendDirect.clickSignIn();
    const popup = await app.waitForSignInPopup();
    expect(await app.sendDirect.waitForWaitingForSignIn()).toContain('sign-in window');
    expect(await app.sendDirect.isWebBrowserInsteadShown()).toBe(true);
    await app.completeIdpSignIn(popup, user);
    await app.waitForPageClosed(popup);

    expect(await app.sendDirect.waitForSignedIn(user.email)).toBe('Last refreshed just now');
    // The empty User Name is now the signed-in mailbox; Save keeps the choice.
    expect((await app.sendDirect.values()).userName).toBe(user.email);
    await app.sendDirect.fill({ serverName: 'smtp.office365.com', senderName: 'Legrand Sales Team', senderAddress: user.email });
    await app.sendDirect.save();
    await publishScreenshot(await app.sendDirect.waitForSaved(), 'modern-auth-signed-in.png');
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/msal-cache')).toContain('RefreshToken');

    await current.restartApp();
    await app.sendDirect.waitForLoaded();
    await app.sendDirect.waitForSignedIn(user.email);
    expect((await app.sendDirect.values()).authMethod).toBe('Modern Authentication (OAuth 2.0) - Office 365');
  });

  it('refreshes an expired access token silently when the connection is tested', async () => {
    const user = await newUser();
    // The access token of the sign-in lives 1 second; the refreshed one lives the IdP's usual hour, so
    // nothing after the refresh races a short lifetime on a busy machine.
    await idpControl.setTtl({ AccessToken: 1 }, user.email);
    try {
      const current = await openWindow('office365-silent-refresh');
      const { app } = current;
      await app.sendDirect.fill({
        serverName: '127.0.0.1',
        senderName: 'Sales',
        senderAddress: user.email,
        userName: user.email,
        port: String(testbed().smtp.ports.starttls),
      });
      await app.sendDirect.chooseModernAuth('Office 365');
      await signInWithOffice365(current, user);
      const signedInAt = Date.now();
      await idpControl.resetTtl(user.email);
      // Waiting longer than the 1 s lifetime is always safe: only a token that has expired must be refreshed.
      await sleep(1_500);

      await app.sendDirect.testConnection();
      expect(await app.sendDirect.waitForConnectionResult()).toEqual({ ok: true, message: 'We were able to connect to your mail server and sign in.' });
      const refreshes = await idpControl.grantLog({ user: user.email, grantType: 'refresh_token', since: signedInAt });
      expect(refreshes.filter((grant) => grant.status === 200).length).toBeGreaterThanOrEqual(1);
      // Still signed in: nothing for the user to do.
      expect(await app.sendDirect.signedInAs()).toBe(`Signed in as ${user.email}`);
    } finally {
      await idpControl.resetTtl(user.email);
    }
  });

  it('shows a red cross when the grant is revoked at the provider, as soon as the window is back in front, and Re-authenticate Now fixes it', async () => {
    const user = await newUser();
    const current = await openWindow('office365-revoked');
    const { app } = current;
    await app.sendDirect.fill({ serverName: 'smtp.office365.com', senderName: 'Legrand Sales Team', senderAddress: user.email, userName: user.email });
    await app.sendDirect.chooseModernAuth('Office 365');
    await signInWithOffice365(current, user);
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();

    // The password was reset, an admin revoked the sessions: the refresh token is dead at the provider.
    await idpControl.revokeUser(user.email);
    await app.regainFocus();

    // The window's administrator (signed in by the harness) gets seed 003's pop-up first; "Later" leaves
    // the mailbox's own Re-authenticate Now (e2e/admin.e2e.test.ts follows the pop-up's).
    await app.admin.waitForReauthPopup();
    await app.admin.later();
    const shown = await app.sendDirect.waitForNeedsReauth();
    expect(shown.message).toBe('The sign-in for this mailbox has expired or was revoked (for example after a password change).');
    expect(shown.fix).toContain('Click “Re-authenticate Now” and sign in again.');
    await publishScreenshot(app.screenshots.at(-1) ?? '', 'needs-reauth.png');

    await app.sendDirect.reauthenticate();
    const popup = await app.waitForSignInPopup();
    await app.completeIdpSignIn(popup, user);
    await app.waitForPageClosed(popup);
    await app.sendDirect.waitForSignedIn(user.email);
  });

  it('says the sign-in was declined when the user denies the permissions, and stays signed out', async () => {
    const user = await newUser();
    const current = await openWindow('office365-consent-denied');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    const popup = await app.waitForSignInPopup();
    await app.completeIdpSignIn(popup, user, { consent: 'deny' });
    await app.waitForPageClosed(popup);

    expect(await app.sendDirect.waitForSignInFailed()).toEqual({
      message: 'The sign-in was declined, so Mail Settings has no access to the mailbox.',
      fix: 'Sign in again and choose “Accept” (or “Allow”) on the permissions screen. If you are not allowed to accept, ask your administrator.',
    });
    expect(await app.sendDirect.isSignInButtonShown()).toBe(true);
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/msal-cache')).toBeNull();
  });

  it('Cancel stops a waiting sign-in quietly; closing the sign-in window says what happened', async () => {
    const current = await openWindow('office365-cancel');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');

    await app.sendDirect.clickSignIn();
    const first = await app.waitForSignInPopup();
    await app.sendDirect.waitForWaitingForSignIn();
    await app.sendDirect.cancelSignIn();
    await app.waitForPageClosed(first);
    await app.sendDirect.waitForSignedOut();
    expect(await app.sendDirect.signInFailure()).toBeNull();

    await app.sendDirect.clickSignIn();
    const second = await app.waitForSignInPopup();
    await app.sendDirect.waitForWaitingForSignIn();
    await second.close();
    expect(await app.sendDirect.waitForSignInFailed()).toEqual({
      message: 'The sign-in window was closed before the sign-in finished.',
      fix: 'Click “Sign in using Modern Authentication…” to try again.',
    });
  });

  it('Reset signs the mailbox out and removes its sign-in from the keychain', async () => {
    const user = await newUser();
    const current = await openWindow('office365-reset');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await signInWithOffice365(current, user);
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/msal-cache')).not.toBeNull();

    await app.sendDirect.resetSignIn();
    await app.sendDirect.waitForSignedOut();
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/msal-cache')).toBeNull();

    await current.restartApp();
    await app.sendDirect.waitForLoaded();
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.waitForSignedOut();
  });

  it('“Sign in with your web browser instead” closes the popup and finishes the sign-in in the browser', async () => {
    const user = await newUser();
    const current = await openWindow('office365-web-browser-instead');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    const popup = await app.waitForSignInPopup();
    await app.sendDirect.waitForWaitingForSignIn();

    await app.sendDirect.signInWithWebBrowserInstead();
    await app.waitForPageClosed(popup);
    const browser = await app.waitForBrowserSignInPage();
    await expect.poll(() => app.sendDirect.isWebBrowserInsteadShown()).toBe(false);
    expect(await app.sendDirect.waitForWaitingForSignIn()).toBe('Finish signing in in your web browser, then come back to this window.');

    await app.completeIdpSignIn(browser, user);
    await browser.getByText('You can close this browser tab and return to Mail Settings.').waitFor();
    await app.screenshotOf(browser, 'browser-signed-in');
    await app.sendDirect.waitForSignedIn(user.email);
  });

  it('“Copy sign-in link” copies the sign-in address, which works in any browser window', async () => {
    const user = await newUser();
    const current = await openWindow('office365-copy-link');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    const popup = await app.waitForSignInPopup();
    await app.sendDirect.waitForWaitingForSignIn();

    const link = await app.sendDirect.copySignInLink();
    expect(link.startsWith(testbed().idp.endpoints.authorization)).toBe(true);
    expect(new URL(link).searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/$/);

    // The user pastes it into the browser they are allowed to use.
    const pasted = await current.page.context().newPage();
    await pasted.goto(link);
    await app.completeIdpSignIn(pasted, user);
    await app.sendDirect.waitForSignedIn(user.email);
    // The popup nobody used is closed once the sign-in is done.
    await app.waitForPageClosed(popup);
  });

  it('says when no app registration is set up, and signs in with the Application (client) ID entered under Provider settings', async () => {
    const user = await newUser();
    const { idp } = testbed();
    const current = await openWindow('office365-provider-settings', {
      // An installation pointed at the (test) authority, without a client id.
      providerDefaults: { ...testbedProviders(), office365: { authority: idp.endpoints.issuer } },
    });
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    expect(await app.sendDirect.waitForSignInFailed()).toEqual({
      message: 'No Office 365 app registration is set up for Mail Settings, so it cannot start the sign-in.',
      fix: 'Enter the Application (client) ID of your organisation’s app registration under “Provider settings”, or ask IT to set MAIL_SETTINGS_OFFICE365_CLIENT_ID for this installation.',
    });

    await app.sendDirect.openProviderSettings();
    await app.sendDirect.fillProviderSetting('Application (client) ID', idp.clients.office365.clientId);
    await app.sendDirect.fillProviderSetting('Tenant', 'contoso onmicrosoft com');
    await app.sendDirect.clickSignIn();
    expect(await app.sendDirect.providerSettingError('Tenant')).toBe('The tenant is a name like contoso.onmicrosoft.com, a directory id, "organizations" or "common".');
    // The earlier failure is answered by the field to correct.
    expect(await app.sendDirect.signInFailure()).toBeNull();
    await app.screenshot('provider-settings-invalid');

    await app.sendDirect.fillProviderSetting('Tenant', '');
    await signInWithOffice365(current, user);
  });
});

describe('Modern Authentication: Google in the system browser', () => {
  it('signs in in the browser (redirect to 127.0.0.1), which says it can be closed; Reset removes the tokens', async () => {
    const user = await newUser();
    const current = await openWindow('google-sign-in');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Google');
    await app.sendDirect.clickSignIn();

    // Google refuses embedded windows: no popup, the system browser.
    const browser = await app.waitForBrowserSignInPage();
    expect(await app.sendDirect.waitForWaitingForSignIn()).toBe('Finish signing in in your web browser, then come back to this window.');
    expect(await app.sendDirect.isWebBrowserInsteadShown()).toBe(false);
    const opened = new URL(app.externalUrls[0] ?? '');
    expect(opened.origin).toBe(new URL(testbed().idp.endpoints.issuer).origin);
    expect(opened.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    await app.completeIdpSignIn(browser, user);
    await browser.getByText('You are signed in. You can close this browser tab and return to Mail Settings.').waitFor();
    await app.screenshotOf(browser, 'browser-signed-in');
    await app.sendDirect.waitForSignedIn(user.email);
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/tokens')).toContain('refreshToken');

    await app.sendDirect.resetSignIn();
    await app.sendDirect.waitForSignedOut();
    expect(await lookupOAuthSecret(current.dataDir, 'oauth/send/tokens')).toBeNull();
  });
});

describe('Modern Authentication: leaving no token behind', () => {
  it('has no token the identity provider issued in any file of any data directory of these tests', async () => {
    // A sign-in of its own, so there is something to scan even when this test runs alone (-t); after the
    // other tests, their data dirs are scanned too.
    const user = await newUser();
    const current = await openWindow('no-token-in-files');
    const { app } = current;
    await app.sendDirect.chooseModernAuth('Office 365');
    await signInWithOffice365(current, user);
    await app.sendDirect.fill({ serverName: 'smtp.office365.com', senderName: 'Legrand Sales Team', senderAddress: user.email });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    // Every other session is closed by now, and this one quits: settings, logs and records are all on disk.
    await current.host.stop();
    expect(await issuedTokensFoundIn(windows.dataDirs())).toEqual([]);
  });
});
