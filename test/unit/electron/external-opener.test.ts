import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetElectronMock, shell } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { createElectronOpener } = await import('../../../src/main/electron/external-opener');
const { browserUrlOf } = await import('../../../src/main/platform/external-link');

describe("the app's external opener applies the same check as the CLI's", () => {
  beforeEach(resetElectronMock);

  it('hands the shell the checked URL, with what RFC 3986 does not allow raw percent-encoded', async () => {
    const tricky = 'https://login.example.com/?x=%PATH%|calc^&z="q"#a"b';
    await createElectronOpener().open(new URL(tricky));
    expect(shell.openExternal).toHaveBeenCalledWith(browserUrlOf(tricky));
    expect(shell.openExternal.mock.calls[0]?.[0]).toBe('https://login.example.com/?x=%25PATH%25%7Ccalc%5E&z=%22q%22#a%22b');
  });

  it('opens http on the loopback only, and nothing with credentials or another scheme', async () => {
    const opener = createElectronOpener();
    await opener.open(new URL('http://127.0.0.1:8400/'));
    await opener.open(new URL('http://localhost:8400/'));
    for (const url of ['http://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@example.com/', 'ms-settings:privacy']) {
      await expect(opener.open(new URL(url)), url).rejects.toThrow(/not https/);
    }
    expect(shell.openExternal.mock.calls.map(([url]) => url)).toEqual(['http://127.0.0.1:8400/', 'http://localhost:8400/']);
  });
});
