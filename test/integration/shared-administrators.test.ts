import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attemptsBeforeLock } from '../../src/main/admin/admin-lockout';
import { createAdminService, type AdminService } from '../../src/main/admin/admin-service';
import { memoryAdminSessionStore } from '../../src/main/admin/admin-sessions';
import { createAdminStore } from '../../src/main/admin/admin-store';
import { createSharedAdminStore } from '../../src/main/admin/shared-admin-store';
import { createEventBus } from '../../src/main/events/event-bus';
import { createFileLogger } from '../../src/main/log/logger';
import { SecretRegistry } from '../../src/main/log/redact';
import { openRecordsStore, type RecordsStore } from '../../src/main/records/records-store';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { ErrorCode, type Result } from '../../src/shared/errors';
import { authenticatorCode, testAdminPassword } from '../support/admin-totp';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { runCli, type CliResult } from '../support/run-cli';
import { createTestDatabase, withPostgresClient, type TestDatabase } from '../support/postgres-database';

/**
 * Team mode (issue 16): the administrators live in the shared records database. Each installation here
 * has its own data directory, keychain and admin session, as two desktops would; only the database is
 * shared. Security numbers come from the `otpauth` package (admin-totp.ts), never the app's TOTP code.
 */

const email = 'team.lead@example.test';

let database: TestDatabase;
let clock: Date;
const opened: Array<{ readonly dataDir: string | null; readonly admin: AdminService; readonly records: RecordsStore | null }> = [];

beforeEach(async () => {
  database = await createTestDatabase();
  // Half-way through a 30-second step, so ±1 step is unambiguous.
  clock = new Date('2026-11-30T09:00:15Z');
});
afterEach(async () => {
  for (const { dataDir, admin, records } of opened.splice(0)) {
    admin.stop();
    await records?.close();
    if (dataDir !== null) await rm(dataDir, { recursive: true, force: true });
  }
  await database.drop();
});

const later = (seconds: number): void => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

interface Installation {
  readonly name: string;
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly admin: AdminService;
}

/** An installation: on the shared database (`team`) or on its own data directory only. */
async function installation(name: string, { team = true, dataDir, secrets }: { team?: boolean; dataDir?: string; secrets?: SecretStore } = {}): Promise<Installation> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), `mail-settings-admins-${name}-`)));
  const keychain = secrets ?? createMemorySecretStore();
  const records = team ? await openRecordsStore({ databaseUrl: database.url }) : null;
  const admin = createAdminService({
    dataDir: dir,
    settings: openConfSettings(dir),
    secrets: keychain,
    events: createEventBus(),
    now: () => clock,
    logger: createFileLogger(dir, new SecretRegistry()),
    sessions: memoryAdminSessionStore(),
    ...(records
      ? {
          store: createSharedAdminStore({
            records: async () => records,
            local: createAdminStore(dir),
            installationName: name,
            databaseError: () => ({ code: ErrorCode.DatabaseUnavailable, message: 'The records database went away.' }),
          }),
        }
      : {}),
  });
  opened.push({ dataDir: dataDir === undefined ? dir : null, admin, records });
  return { name, dataDir: dir, secrets: keychain, admin };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function errorOf(result: Result<unknown>): { code: string; message: string } {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

/** Creates the first administrator on `at` with 2FA on; the setup key and recovery codes an administrator would keep. */
async function firstAdministrator(at: Installation): Promise<{ setupKey: string; recoveryCodes: readonly string[] }> {
  const setup = value(await at.admin.createFirst(email, testAdminPassword));
  const enabled = value(await at.admin.confirmTwoFactor(email, authenticatorCode(setup.setupKey, clock)));
  return { setupKey: setup.setupKey, recoveryCodes: enabled.recoveryCodes };
}

async function sharedAdministratorsJson(): Promise<string> {
  return withPostgresClient(database.url, async (client) => {
    const { rows } = await client.query<{ value: string }>("SELECT value FROM shared_settings WHERE key = 'administrators'");
    return rows[0]?.value ?? '';
  });
}

describe('administrators in team mode', () => {
  it('an administrator created on one installation signs in on another; the database holds no password and no TOTP secret in the clear', async () => {
    const front = await installation('front-desk');
    const back = await installation('back-office');
    const { setupKey } = await firstAdministrator(front);

    expect(value(await back.admin.status())).toMatchObject({ administratorsExist: true, storeMissing: false, signedIn: null });
    expect(errorOf(await back.admin.createFirst('someone.else@example.test', testAdminPassword)).code).toBe(ErrorCode.AdminExists);
    expect(errorOf(await back.admin.authorize('refuseWithoutAdministrators', 'resetCounter')).code).toBe(ErrorCode.AdminRequired);

    later(30);
    expect(value(await back.admin.signInPassword(email, testAdminPassword))).toEqual({ next: 'code', email });
    const code = authenticatorCode(setupKey, clock);
    expect(value(await back.admin.signInCode(email, code)).signedIn?.email).toBe(email);
    expect(value(await back.admin.authorize('refuseWithoutAdministrators', 'resetCounter'))?.email).toBe(email);
    // The sessions stay each computer's own: signing out on one leaves the other signed in.
    expect(value(await back.admin.signOut()).signedIn).toBeNull();
    expect(value(await front.admin.status()).signedIn?.email).toBe(email);

    // The number spent on one desktop is spent for the whole team.
    expect(errorOf(await front.admin.signIn(email, testAdminPassword, code)).code).toBe(ErrorCode.AdminCodeReused);

    const stored = await sharedAdministratorsJson();
    expect(stored).toContain(email);
    expect(stored).not.toContain(setupKey.replace(/ /g, ''));
    expect(stored).not.toContain(testAdminPassword);
    // In team mode the secret is sealed in the database, not left in one desktop's keychain.
    expect(await front.secrets.accounts?.()).toEqual([]);
  });

  it('wrong guesses on any installation count towards one lockout', async () => {
    const front = await installation('front-desk');
    const back = await installation('back-office');
    const { setupKey } = await firstAdministrator(front);
    for (let guess = 0; guess < attemptsBeforeLock; guess += 1) {
      const at = guess % 2 === 0 ? front : back;
      const refused = errorOf(await at.admin.signInPassword(email, `wrong password ${guess}`));
      expect(refused.code).toBe(guess < attemptsBeforeLock - 1 ? ErrorCode.AdminCredentialsWrong : ErrorCode.AdminLockedOut);
    }
    later(30);
    expect(errorOf(await back.admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock))).code).toBe(ErrorCode.AdminLockedOut);
    expect(errorOf(await front.admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock))).code).toBe(ErrorCode.AdminLockedOut);
  });

  it('2FA set up in one process is confirmed in another with the password (the CLI’s 2fa verify), never without it', async () => {
    const front = await installation('front-desk');
    const setup = value(await front.admin.createFirst(email, testAdminPassword));
    const command = await installation('front-desk-cli', { dataDir: front.dataDir, secrets: front.secrets });
    const code = authenticatorCode(setup.setupKey, clock);
    expect(errorOf(await command.admin.confirmTwoFactor(email, code)).message).toContain('enter both');
    expect(errorOf(await command.admin.confirmTwoFactor(email, code, 'not the password at all')).code).toBe(ErrorCode.AdminCredentialsWrong);
    expect(value(await command.admin.confirmTwoFactor(email, code, testAdminPassword)).recoveryCodes).toHaveLength(10);
  });

  it('an installation’s own administrators become the team’s; their TOTP secret is sealed at the first sign-in there', async () => {
    // Before team mode: the administrator of one installation, its TOTP secret in that keychain.
    const alone = await installation('front-desk', { team: false });
    const { setupKey, recoveryCodes } = await firstAdministrator(alone);
    alone.admin.stop();

    const front = await installation('front-desk', { dataDir: alone.dataDir, secrets: alone.secrets });
    const back = await installation('back-office');
    expect(value(await front.admin.status())).toMatchObject({ administratorsExist: true, storeMissing: false });
    expect(value(await back.admin.status())).toMatchObject({ administratorsExist: true, storeMissing: false });

    // Until then, the other installation cannot check the numbers, and says where to go; a recovery code works.
    later(30);
    const elsewhere = errorOf(await back.admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock)));
    expect(elsewhere).toMatchObject({ code: ErrorCode.AdminCodeWrong, message: expect.stringContaining('front-desk') });
    expect(value(await back.admin.signIn(email, testAdminPassword, recoveryCodes[0] ?? '')).signedIn?.email).toBe(email);
    expect(errorOf(await back.admin.signIn(email, testAdminPassword, recoveryCodes[0] ?? '')).code).toBe(ErrorCode.AdminCodeWrong);

    later(30);
    expect(value(await front.admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock))).signedIn?.email).toBe(email);
    later(30);
    expect(value(await back.admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock))).signedIn?.email).toBe(email);
    expect(await sharedAdministratorsJson()).not.toContain(setupKey.replace(/ /g, ''));
  });
});

describe('mail-settings admin with --database (team mode)', () => {
  it('an administrator created from one data directory signs in from another; 2fa verify asks for the password', async () => {
    const front = await mkdtemp(join(tmpdir(), 'mail-settings-admins-cli-front-'));
    const back = await mkdtemp(join(tmpdir(), 'mail-settings-admins-cli-back-'));
    try {
      const cli = (dataDir: string, args: readonly string[], stdin = '') => runCli([...args, '--json', '--data-dir', dataDir, '--database', database.url], { stdin });
      const last = (result: CliResult): Record<string, unknown> => JSON.parse(result.lines.at(-1) ?? 'null') as Record<string, unknown>;
      const password = `${testAdminPassword}\n`;

      expect(last(await cli(front, ['admin', 'create', '--email', email, '--password-stdin'], password))).toEqual({ ok: true, email });
      const { setupKey } = last(await cli(front, ['admin', '2fa', 'setup', '--email', email, '--password-stdin'], password)) as { setupKey: string };
      const code = authenticatorCode(setupKey);
      expect(last(await cli(front, ['admin', '2fa', 'verify', '--email', email, '--code', code]))).toMatchObject({ ok: false, error: { code: 'ADMIN_CREDENTIALS_WRONG' } });
      const verified = last(await cli(front, ['admin', '2fa', 'verify', '--email', email, '--code', code, '--password-stdin'], password)) as { recoveryCodes: string[] };
      expect(verified.recoveryCodes).toHaveLength(10);

      // The other data directory has no administrator of its own: the team's signs in there (a recovery code: the number was spent).
      expect(last(await cli(back, ['admin', 'sign-in', '--email', email, '--password-stdin', '--code', code], password))).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_REUSED' } });
      expect(last(await cli(back, ['admin', 'sign-in', '--email', email, '--password-stdin', '--code', verified.recoveryCodes[0] ?? ''], password))).toEqual({ ok: true });
      expect(await readFile(join(back, 'admins.json'), 'utf8').catch(() => 'none')).toBe('none');
    } finally {
      for (const dataDir of [front, back]) {
        await clearKeychainOf(dataDir);
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  });
});
