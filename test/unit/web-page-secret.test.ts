import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLaunchSecret, isLaunchSecret } from '../../src/main/web/launch-secret';
import { loadRendererPage, withOwnOriginConnect } from '../../src/main/web/renderer-page';
import { launchSecretOf } from '../../src/renderer/web/launch-secret';

describe('the page’s policy in the browser', () => {
  it('changes connect-src to the page’s own origin and nothing else, in place', () => {
    expect(withOwnOriginConnect("default-src 'none'; script-src 'self'; connect-src 'none'; form-action 'none'")).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self'; form-action 'none'",
    );
    expect(withOwnOriginConnect("default-src 'none'; script-src 'self'")).toBe("default-src 'none'; script-src 'self'; connect-src 'self'");
    expect(withOwnOriginConnect("script-src 'self'; CONNECT-SRC https://example.com ws:;")).toBe("script-src 'self'; connect-src 'self'");
  });

  it('refuses a build whose index.html declares no policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mail-settings-web-page-'));
    try {
      await writeFile(join(dir, 'index.html'), '<!doctype html><title>Mail Settings</title>');
      await expect(loadRendererPage(dir)).rejects.toThrow('has no Content-Security-Policy meta tag');
      await expect(loadRendererPage(join(dir, 'missing'))).rejects.toThrow('Build it with `npm run build`');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the launch secret', () => {
  it('is 256 random bits, new each launch, and only itself matches', () => {
    const secret = createLaunchSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createLaunchSecret()).not.toBe(secret);
    expect(isLaunchSecret(secret, secret)).toBe(true);
    for (const other of [undefined, '', secret.slice(1), `${secret} `, secret.toUpperCase()]) expect(isLaunchSecret(other, secret)).toBe(false);
  });

  it('is what the page reads from its own address, only when served by mail-settings ui', () => {
    const secret = createLaunchSecret();
    const at = (href: string) => {
      const url = new URL(href);
      return launchSecretOf({ protocol: url.protocol, hostname: url.hostname, pathname: url.pathname });
    };
    expect(at(`http://127.0.0.1:4321/${secret}/`)).toBe(secret);
    expect(at(`http://127.0.0.1:4321/${secret}/index.html`)).toBe(secret);
    // The app itself, the dev server, a file opened by hand, another host: not the web UI.
    expect(at('app://mail-settings/index.html')).toBeNull();
    expect(at(`http://localhost:5173/${secret}/`)).toBeNull();
    expect(at(`file:///home/user/${secret}/index.html`)).toBeNull();
    expect(at(`https://127.0.0.1:4321/${secret}/`)).toBeNull();
    expect(at('http://127.0.0.1:4321/short/')).toBeNull();
  });
});
