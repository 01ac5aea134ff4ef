import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { runCli, runCliOnTerminal } from '../support/run-cli';
import { addUser, completeSignInWithFetch, secretToolLookup, testbed, type TestUser } from '../testbed/client';

/** A sign-in's link is finished by the test user, in the pages behind it, as soon as the CLI prints it. */
const finishSignInAs = (user: TestUser) => (line: string) => {
  const parsed = JSON.parse(line) as { signInUrl?: string };
  if (parsed.signInUrl) void completeSignInWithFetch(parsed.signInUrl, { user, deliver: true });
};

describe('secrets on the command line: never from argv, never echoed (the built CLI)', () => {
  let dataDir: string;
  let user: TestUser;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-secrets-'));
    user = await addUser(`cli-secret-${randomUUID().slice(0, 8)}@example.test`);
  });
  afterAll(async () => {
    await clearKeychainOf(dataDir);
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
    const result = await runCli([...oidc(), ...secretArgs]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', fix: expect.stringContaining('--client-secret-stdin') } });
    expect(`${result.stdout}${result.stderr}`).not.toContain('argv-secret-0001');
  });

  it('takes the client secret from standard input: the token request authenticates with it', async () => {
    // The google-like client authenticates with client_secret_post: a sign-in only completes with its secret.
    const result = await runCli([...oidc(), '--client-secret-stdin'], { stdin: `${testbed().idp.clients.google.clientSecret}\n`, onLine: finishSignInAs(user) });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toEqual({ ok: true, username: user.email });
  });

  it('a wrong client secret from standard input fails the sign-in, and is not printed', async () => {
    const result = await runCli([...oidc(), '--client-secret-stdin'], { stdin: 'wrong-client-secret-0002\n', onLine: finishSignInAs(user) });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.lines.at(-1) ?? '{}')).toMatchObject({ ok: false });
    expect(`${result.stdout}${result.stderr}`).not.toContain('wrong-client-secret-0002');
  });

  it('a password typed on a terminal is not echoed, and Backspace and Ctrl-U edit it', async () => {
    const password = `typed-${randomUUID().slice(0, 8)}`;
    const { code, screen } = await runCliOnTerminal(
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
