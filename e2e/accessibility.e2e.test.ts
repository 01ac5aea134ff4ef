import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SendDirectValues } from './harness/send-direct-section';
import { contrastRatio } from './harness/accessibility';
import { useMailSettingsWindows } from './harness/windows';

/**
 * What a keyboard and zoom review of the Send Direct section found, held in place: the focus stays with
 * the user after each action, unavailable buttons can be reached and say why, required fields are marked,
 * the focus ring can be seen, and nothing spills or is cut from the window's minimum width down to 320 px.
 * Every screenshot here (as everywhere in the e2e tests) is also checked with axe.
 */

/**
 * A mail server that says nothing until `release()`, then hangs up: Test Connection stays on "Testing…"
 * for as long as the test needs to look at it, then fails at once.
 */
async function answerOnRelease(): Promise<{ readonly port: number; release(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The held server has no port.');
  const release = (): void => sockets.forEach((socket) => socket.destroy());
  return {
    port: address.port,
    release,
    close: async () => {
      release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const windows = useMailSettingsWindows();
const openWindow = windows.open;

const settings: SendDirectValues = {
  serverName: '127.0.0.1',
  senderName: 'Legrand Sales Team',
  senderAddress: 'sales@legrand-demo.example',
  userName: 'sales@legrand-demo.example',
  authMethod: 'Normal Password (basic authentication)',
  port: '587',
  security: 'STARTTLS',
};
const password = 'a11y e2e password';
const signInLabel = 'Sign in using Modern Authentication…';

describe('Accessibility: the keyboard stays where the user is (WCAG 2.4.3 Focus Order)', () => {
  it('keeps the focus on Save while saving and after', async () => {
    const { app } = await openWindow('focus-save');
    await app.sendDirect.fill({ ...settings, password });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    expect(await app.focusedElementName()).toBe('Save');
  });

  it('keeps the focus on Test Connection while testing and after', async () => {
    const server = await answerOnRelease();
    try {
      const { app } = await openWindow('focus-test-connection');
      await app.sendDirect.fill({ ...settings, port: String(server.port), password });
      await app.sendDirect.testConnection();
      await app.sendDirect.waitForTesting();
      // The same button, renamed while it works.
      expect(await app.focusedElementName()).toBe('Testing…');
      server.release();
      expect((await app.sendDirect.waitForConnectionResult()).ok).toBe(false);
      expect(await app.focusedElementName()).toBe('Test Connection');
    } finally {
      await server.close();
    }
  });

  it('keeps the focus on Cancel once it has put the saved values back', async () => {
    const { app } = await openWindow('focus-cancel');
    await app.sendDirect.fill({ ...settings, password });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    await app.sendDirect.typeInto('senderName', 'Someone else');
    await app.sendDirect.cancel();
    expect((await app.sendDirect.values()).senderName).toBe(settings.senderName);
    expect(await app.focusedElementName()).toBe('Cancel');
    expect((await app.focusedElement())?.unavailable).toBe(true);
  });

  it('moves the focus from Remove to the Undo that replaces it, and back', async () => {
    const { app } = await openWindow('focus-remove');
    await app.sendDirect.fill({ ...settings, password });
    await app.sendDirect.save();
    await app.sendDirect.waitForSaved();
    await app.sendDirect.removePassword();
    expect((await app.sendDirect.password()).hint).toBe('The stored password is removed from the keychain when you click Save.');
    expect(await app.focusedElementName()).toBe('Undo');
    await app.sendDirect.undoPasswordChange();
    expect((await app.sendDirect.password()).hint).toBeNull();
    expect(await app.focusedElementName()).toBe('Remove');
  });

  it('moves the focus from “Sign in using Modern Authentication…” to Cancel, and back after Cancel', async () => {
    const { app } = await openWindow('focus-sign-in');
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.clickSignIn();
    await app.waitForSignInPopup();
    await app.sendDirect.waitForWaitingForSignIn();
    expect(await app.focusedElementName()).toBe('Cancel');
    await app.sendDirect.cancelSignIn();
    await app.sendDirect.waitForSignedOut();
    expect(await app.focusedElementName()).toBe(signInLabel);
  });
});

describe('Accessibility: unavailable buttons and required fields', () => {
  it('reaches an unavailable Test Connection and “Send a test email…” with Tab, and reads out why they are unavailable', async () => {
    const { app } = await openWindow('unavailable-buttons');
    expect(await app.tabTo('Test Connection')).toBe(true);
    expect(await app.focusedElement()).toEqual({
      name: 'Test Connection',
      description: 'Fill in the fields above first: Test Connection needs every required field, correctly filled in.',
      unavailable: true,
    });
    expect(await app.tabTo('Send a test email…')).toBe(true);
    expect(await app.focusedElement()).toEqual({
      name: 'Send a test email…',
      description: 'Save first: test emails are sent with the saved settings, and nothing is saved yet.',
      unavailable: true,
    });
    await app.screenshot('unavailable-send-test-email-focused');
    // Unavailable means it does nothing: no dialog opens.
    await app.page.keyboard.press('Enter');
    expect(await app.sendDirect.isTestEmailOpen()).toBe(false);
  });

  it('marks the required fields with an asterisk and tells screen readers they are required', async () => {
    const { app } = await openWindow('required-fields');
    const required = ['Server Name (or IP address)', 'Sender Name', 'Sender Email Address', 'User Name', 'Outgoing server port number'];
    expect(await app.sendDirect.requiredFields()).toEqual(required);
    expect(await app.sendDirect.fieldsMarkedRequired()).toEqual(required);
    expect(await app.isShown('* Required')).toBe(true);
  });
});

describe('Accessibility: the focus ring (WCAG 1.4.11 Non-text Contrast, 2.4.13 Focus Appearance)', () => {
  it('draws a ring of at least 3:1 against the background and against the button, on Save, an unavailable button and a field', async () => {
    const { app } = await openWindow('focus-ring');
    for (const name of ['Save', 'Test Connection', 'Sender Email Address']) {
      expect(await app.tabTo(name)).toBe(true);
      const colours = await app.focusRingColours();
      expect(colours, name).not.toBeNull();
      if (colours === null) continue;
      expect(contrastRatio(colours.ring, colours.outside), `${name}: ring ${colours.ring} against ${colours.outside}`).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(colours.ring, colours.inside), `${name}: ring ${colours.ring} against ${colours.inside}`).toBeGreaterThanOrEqual(3);
    }
    await app.screenshot('focus-ring-field');
  });
});

describe('Accessibility: narrow windows and zoom (WCAG 1.4.4 Resize Text, 1.4.10 Reflow)', () => {
  /** From the window's minimum width (src/main/electron/main-window.ts) to its default one. */
  const windowWidths = [560, 580, 600, 620, 640, 660, 680, 700, 720, 740, 760];

  it('shows the whole sign-in button and Authentication method at every width from the window’s minimum (560 px) up', async () => {
    const { app } = await openWindow('narrow-window');
    await app.sendDirect.chooseModernAuth('Office 365');
    for (const width of windowWidths) {
      await app.setWindowWidth(width);
      if (width === 560 || width === 640) await app.screenshot(`width-${width}`);
      const button = await app.sendDirect.buttonTextFit(signInLabel);
      expect(button.textWidth, `sign-in button at ${width} px`).toBeLessThanOrEqual(button.boxWidth);
      expect(button.textHeight, `sign-in button at ${width} px`).toBeLessThanOrEqual(button.boxHeight);
      const method = await app.sendDirect.authMethodTextFit();
      expect(method.text).toBe('Modern Authentication (OAuth 2.0) - Office 365');
      expect(method.textWidth, `Authentication method at ${width} px`).toBeLessThanOrEqual(method.room);
      const page = await app.pageWidth();
      expect(page.content, `page width at ${width} px`).toBeLessThanOrEqual(page.window);
    }
  });

  it('keeps the SSL choice, the buttons and the save bar whole at 320 px', async () => {
    const { app } = await openWindow('width-320');
    await app.sendDirect.chooseModernAuth('Office 365');
    await app.sendDirect.typeInto('senderName', 'Legrand Sales Team');
    await app.setWindowWidth(320);
    await app.screenshot('width-320');
    const ssl = await app.sendDirect.securityChoiceFit();
    expect(ssl.right).toBeLessThanOrEqual(ssl.visibleRight);
    expect(ssl.cutOptions).toEqual([]);
    for (const name of [signInLabel, 'Test Connection', 'Save', 'Cancel']) {
      const button = await app.sendDirect.buttonTextFit(name);
      expect(button.textWidth, name).toBeLessThanOrEqual(button.boxWidth);
      expect(button.textHeight, name).toBeLessThanOrEqual(button.boxHeight);
    }
    expect(await app.sendDirect.saveBarOverlaps()).toBe(false);
    const page = await app.pageWidth();
    expect(page.content).toBeLessThanOrEqual(page.window);
  });
});

describe('Accessibility: the check itself', () => {
  it('fails a screenshot of the window when axe finds a violation in it', async () => {
    const { app, page } = await openWindow('axe-positive-control');
    // An input with no label anywhere: axe's "label" rule, critical.
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    await expect(app.screenshot('unlabelled-input')).rejects.toThrow(/label \(critical\): Form elements must have labels/);
    await page.evaluate(() => document.querySelector('main > input')?.remove());
  });
});
