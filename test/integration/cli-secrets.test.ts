import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import { addUser, completeSignInWithFetch, secretToolLookup, testbed, type TestUser } from '../testbed/client';

const bin = join(import.meta.dirname, '../../bin/mail-settings.js');

/** Runs the built CLI with `stdin` piped in; `onLine` sees each stdout line as it arrives (the sign-in link first). */
function cli(args: string[], stdin: string, onLine: (line: string) => void = () => undefined): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine(line);
    });
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout: lines.join('\n'), stderr }));
    child.stdin.end(stdin);
  });
}

const shellQuoted = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs the built CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal would. Once the
 * prompt shows (or after 2 s, for a CLI that prompts nothing), `typed` is sent to the terminal.
 * Resolves with everything the terminal displayed: the CLI's output and whatever the terminal echoed.
 */
function cliOnTerminal(args: string[], prompt: string, typed: string): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, bin, ...args].map(shellQuoted).join(' ');
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let sent = false;
    const type = (): void => {
      if (sent) return;
      sent = true;
      child.stdin.write(typed);
    };
    const fallback = setTimeout(type, 2000);
    child.stdout.on('data', (chunk) => {
      screen += String(chunk);
      if (screen.includes(prompt)) type();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(fallback);
      resolve({ code: code ?? -1, screen });
    });
  });
}

describe('secrets on the command line: never from argv, never echoed (the built CLI)', () => {
  let dataDir: string;
  let user: TestUser;
  beforeAll(async () => {
    await access(join(import.meta.dirname, '../../out/main/cli.js')).catch(() => {
      throw new Error('The CLI is not built: run `npx electron-vite build` (npm test does it) before the integration tests.');
    });
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-secrets-'));
    user = await addUser(`cli-secret-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterAll(async () => {
    const keychain = createKeytarSecretStore(keychainServiceFor(dataDir));
    for (const name of await keychain.accounts()) await keychain.delete(name);
    await rm(dataDir, { recursive: true, force: true });
  });

  const oidc = () => {
    const { idp } = testbed();
    return ['sign-in', 'send', '--provider', 'oidc', '--issuer', idp.endpoints.issuer, '--client-id', idp.clients.google.clientId, '--no-browser', '--json', '--data-dir', dataDir];
  };

  it.each([
    [['--client-secret', 'argv-secret-0001']],
    [['--client-secret=argv-secret-0001']],
  ])('refuses a client secret on the command line (%j) with exit 1, without printing it', async (secretArgs) => {
    const result = await cli([...oidc(), ...secretArgs], '');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fix: expect.stringContaining('--client-secret-stdin') } });
    expect(`${result.stdout}${result.stderr}`).not.toContain('argv-secret-0001');
  });

  it('takes the client secret from standard input: the token request authenticates with it', async () => {
    // The google-like client authenticates with client_secret_post: a sign-in only completes with its secret.
    const result = await cli([...oidc(), '--client-secret-stdin'], `${testbed().idp.clients.google.clientSecret}\n`, (line) => {
      const parsed = JSON.parse(line) as { signInUrl?: string };
      if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, deliver: true });
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.split('\n').at(-1) ?? '{}')).toEqual({ ok: true, username: user.email });
  });

  it('a wrong client secret from standard input fails the sign-in, and is not printed', async () => {
    const result = await cli([...oidc(), '--client-secret-stdin'], 'wrong-client-secret-0002\n', (line) => {
      const parsed = JSON.parse(line) as { signInUrl?: string };
      if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, deliver: true });
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.split('\n').at(-1) ?? '{}')).toMatchObject({ ok: false });
    expect(`${result.stdout}${result.stderr}`).not.toContain('wrong-client-secret-0002');
  });

  it('a password typed on a terminal is not echoed, and Backspace and Ctrl-U edit it', async () => {
    const password = `typed-${randomUUID().slice(0, 8)}`;
    const { code, screen } = await cliOnTerminal(
      ['configure', 'send', '--host', '127.0.0.1', '--port', '587', '--security', 'starttls', '--user', user.email, '--password-stdin',
        '--sender-name', 'Typed', '--sender-address', user.email, '--json', '--data-dir', dataDir],
      'Password: ',
      // A false start erased with Ctrl-U, the password, a typo erased with Backspace, Enter; then Ctrl-D,
      // which ends the input of a reader that waits for end of file (unused once Enter ended the prompt).
      `oops\u0015${password}x\u007f\r\u0004`,
    );
    expect(screen).not.toContain(password.slice(0, 8));
    expect(screen).not.toContain('oops');
    expect(code).toBe(0);
    expect(screen).toContain('Password: ');
    expect(screen).toContain('"ok":true');
    expect(await secretToolLookup(keychainServiceFor(dataDir), 'send-direct/password')).toBe(password);
  });
});
