import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminService, type AdminService, type AdminTimers } from '../../src/main/admin/admin-service';
import { memoryAdminSessionStore } from '../../src/main/admin/admin-sessions';
import { createEventBus } from '../../src/main/events/event-bus';
import { createFileLogger } from '../../src/main/log/logger';
import { SecretRegistry } from '../../src/main/log/redact';
import { createMemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';
import type { AdminStatus } from '../../src/shared/admin';
import { authenticatorCode, testAdminPassword } from '../support/admin-totp';

const email = 'anna.smith@example.test';

/** A clock that moves only when told, and the timers that go with it. */
function manualClock(start: Date) {
  let now = start.getTime();
  const pending = new Set<{ at: number; run: () => void }>();
  const timers: AdminTimers = {
    setTimeout: (run, ms) => {
      const timer = { at: now + ms, run };
      pending.add(timer);
      return timer;
    },
    clearTimeout: (handle) => void pending.delete(handle as { at: number; run: () => void }),
  };
  return {
    now: () => new Date(now),
    timers,
    /** Moves the clock on and runs the timers that fell due, then lets their promises settle. */
    advance: async (ms: number) => {
      now += ms;
      for (const timer of [...pending].filter((candidate) => candidate.at <= now)) {
        pending.delete(timer);
        timer.run();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}

let dataDir: string;
let clock: ReturnType<typeof manualClock>;
let admin: AdminService;
let changes: AdminStatus[];
let secrets: ReturnType<typeof createMemorySecretStore>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-admin-'));
  // Half-way through a 30-second step, so ±1 step is unambiguous.
  clock = manualClock(new Date('2026-03-02T09:00:15Z'));
  secrets = createMemorySecretStore();
  const events = createEventBus();
  changes = [];
  events.on('adminChanged', (status) => changes.push(status));
  admin = createAdminService({
    dataDir,
    settings: openConfSettings(dataDir),
    secrets,
    events,
    now: clock.now,
    logger: createFileLogger(dataDir, new SecretRegistry()),
    sessions: memoryAdminSessionStore(),
    timers: clock.timers,
  });
});
afterEach(async () => {
  admin.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function createAndEnable(): Promise<{ setupKey: string; recoveryCodes: readonly string[] }> {
  const setup = await admin.createFirst(email, testAdminPassword);
  if (!setup.ok) throw new Error(setup.error.message);
  const enabled = await admin.confirmTwoFactor(email, authenticatorCode(setup.value.setupKey, clock.now()));
  if (!enabled.ok) throw new Error(enabled.error.message);
  return { setupKey: setup.value.setupKey, recoveryCodes: enabled.value.recoveryCodes };
}

async function everyFileUnder(folder: string): Promise<string> {
  const names = await readdir(folder, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(names.filter((entry) => entry.isFile()).map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
  return texts.join('\n');
}

describe('the first administrator', () => {
  it('is refused a weak password, in words, under fieldErrors.password', async () => {
    const result = await admin.createFirst(email, 'anna.smith');
    expect(result).toMatchObject({ ok: false, error: { code: 'ADMIN_PASSWORD_WEAK', fieldErrors: { password: expect.stringContaining('at least 12 characters') } } });
  });

  it('gets 2FA on only with a right code, then ten recovery codes and a session; a second first one is refused', async () => {
    expect((await admin.authorize('refuseWithoutAdministrators', 'saveInbox')).ok).toBe(false);
    const setup = await admin.createFirst(email, testAdminPassword);
    if (!setup.ok) throw new Error(setup.error.message);
    expect(setup.value.otpauthUri).toMatch(/^otpauth:\/\/totp\/Mail%20Settings:anna\.smith%40example\.test\?secret=[A-Z2-7]{32}&issuer=Mail%20Settings/);
    expect(changes.at(-1)).toMatchObject({ administratorsExist: true, signedIn: null });

    const wrong = await admin.confirmTwoFactor(email, '000000' === authenticatorCode(setup.value.setupKey, clock.now()) ? '111111' : '000000');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_WRONG' } });
    expect((await admin.authorize('refuseWithoutAdministrators', 'saveInbox')).ok).toBe(false);

    const enabled = await admin.confirmTwoFactor(email, authenticatorCode(setup.value.setupKey, clock.now()));
    expect(enabled).toMatchObject({ ok: true, value: { status: { administratorsExist: true, storeMissing: false, signedIn: { email } } } });
    if (!enabled.ok) return;
    expect(enabled.value.recoveryCodes).toHaveLength(10);
    expect(await admin.authorize('refuseWithoutAdministrators', 'saveInbox')).toMatchObject({ ok: true, value: { email, expiresAt: '2026-03-02T09:15:15.000Z' } });
    expect(await admin.createFirst('other@example.test', testAdminPassword)).toMatchObject({ ok: false, error: { code: 'ADMIN_EXISTS' } });

    // The store: 0600, and nothing typed or shown once is in any file (the TOTP secret is in the keychain).
    expect((await stat(join(dataDir, 'admins.json'))).mode & 0o777).toBe(0o600);
    const files = (await everyFileUnder(dataDir)).toUpperCase();
    for (const secret of [testAdminPassword, setup.value.setupKey, setup.value.setupKey.replace(/ /g, ''), ...enabled.value.recoveryCodes, ...enabled.value.recoveryCodes.map((code) => code.replace('-', ''))]) {
      expect(files).not.toContain(secret.toUpperCase());
    }
    expect(secrets.entries.get(`admin/${email}/totp`)).toBe(setup.value.setupKey.replace(/ /g, ''));
  });
});

describe('signing in', () => {
  it('asks for the password, then a code that works once (replay refused), and opens the session', async () => {
    const { setupKey } = await createAndEnable();
    await admin.signOut();
    expect(await admin.signInPassword(email, testAdminPassword)).toEqual({ ok: true, value: { next: 'code', email } });
    // The code the set-up used is of this same 30-second step: refused as used.
    expect(await admin.signInCode(email, authenticatorCode(setupKey, clock.now()))).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_REUSED' } });
    await clock.advance(30_000);
    const code = authenticatorCode(setupKey, clock.now());
    expect(await admin.signInCode(email, code)).toMatchObject({ ok: true, value: { signedIn: { email } } });
    expect(changes.at(-1)?.signedIn?.email).toBe(email);
    await admin.signOut();
    expect(changes.at(-1)?.signedIn).toBeNull();
    await admin.signInPassword(email, testAdminPassword);
    expect(await admin.signInCode(email, code)).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_REUSED', message: 'This security number was used already: each one works once.' } });
  });

  it('wants the code within 5 minutes of the password', async () => {
    const { setupKey } = await createAndEnable();
    await admin.signOut();
    expect(await admin.signInCode(email, '123456')).toMatchObject({ ok: false, error: { code: 'ADMIN_CREDENTIALS_WRONG' } });
    await admin.signInPassword(email, testAdminPassword);
    await clock.advance(5 * 60_000 + 1000);
    expect(await admin.signInCode(email, authenticatorCode(setupKey, clock.now()))).toMatchObject({ ok: false, error: { code: 'ADMIN_CREDENTIALS_WRONG' } });
  });

  it('says the same for an unknown email as for a wrong password', async () => {
    await createAndEnable();
    const unknown = await admin.signInPassword('nobody@example.test', testAdminPassword);
    const wrong = await admin.signInPassword(email, 'not the password at all');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'ADMIN_CREDENTIALS_WRONG' } });
    expect(wrong).toEqual(unknown);
  });

  it('takes a recovery code once, typed any way', async () => {
    const { recoveryCodes } = await createAndEnable();
    await admin.signOut();
    const code = recoveryCodes[2] ?? '';
    await admin.signInPassword(email, testAdminPassword);
    expect(await admin.signInCode(email, code.replace('-', '').toUpperCase())).toMatchObject({ ok: true, value: { signedIn: { email } } });
    await admin.signOut();
    await admin.signInPassword(email, testAdminPassword);
    expect(await admin.signInCode(email, code)).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_WRONG' } });
  });

  it('locks the administrator out after 5 wrong attempts for 5 minutes, then twice as long', async () => {
    const { setupKey } = await createAndEnable();
    await admin.signOut();
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await admin.signIn(email, 'not the password at all', '123456')).toMatchObject({ ok: false, error: { code: 'ADMIN_CREDENTIALS_WRONG' } });
    }
    expect(await admin.signIn(email, 'not the password at all', '123456')).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_LOCKED_OUT', message: `Too many wrong attempts: ${email} can try again in 5 minutes.` },
    });
    await clock.advance(4 * 60_000);
    // Even the right password and code wait for the lock to end.
    expect(await admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock.now()))).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_LOCKED_OUT', message: `Too many wrong attempts: ${email} can try again in 1 minute.` },
    });
    await clock.advance(60_000);
    // Wrong codes count too: the second lock lasts 10 minutes.
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      expect(await admin.signIn(email, testAdminPassword, attempt % 2 === 0 ? '000000' : '999999')).toMatchObject({ ok: false, error: { code: 'ADMIN_CODE_WRONG' } });
    }
    expect(await admin.signIn(email, testAdminPassword, '000001')).toMatchObject({ ok: false, error: { code: 'ADMIN_LOCKED_OUT', message: expect.stringContaining('in 10 minutes') } });
    await clock.advance(10 * 60_000);
    expect(await admin.signIn(email, testAdminPassword, authenticatorCode(setupKey, clock.now()))).toMatchObject({ ok: true });

    const audit = await readFile(join(dataDir, 'logs', 'admin-audit.log'), 'utf8');
    const entries = audit.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((entry) => entry['outcome'] === 'ADMIN_LOCKED_OUT')).toHaveLength(3);
    expect(entries.at(-1)).toEqual({ at: '2026-03-02T09:15:15.000Z', email, action: 'signIn', outcome: 'ok' });
    expect(audit).not.toContain('not the password');
    expect(audit).not.toContain('999999');
  });
});

describe('the administrator session', () => {
  it('ends after 15 idle minutes (said to the windows), and each use starts them again', async () => {
    await createAndEnable();
    await clock.advance(14 * 60_000);
    expect((await admin.noteActivity()).ok).toBe(true);
    await clock.advance(14 * 60_000);
    expect(await admin.authorize('refuseWithoutAdministrators', 'resetInboxCounter')).toMatchObject({ ok: true, value: { email } });
    const before = changes.length;
    await clock.advance(15 * 60_000);
    expect(changes.length).toBe(before + 1);
    expect(changes.at(-1)).toMatchObject({ administratorsExist: true, signedIn: null });
    expect(await admin.authorize('refuseWithoutAdministrators', 'resetInboxCounter')).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_REQUIRED', message: 'Only an administrator of Mail Settings can do this.' },
    });
    expect(await admin.status()).toMatchObject({ ok: true, value: { signedIn: null } });
  });
});

describe('without administrators, and without their file', () => {
  it('the app refuses admin actions (create the first one); the CLI’s configure goes through', async () => {
    expect(await admin.authorize('refuseWithoutAdministrators', 'saveInbox')).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED', fix: expect.stringContaining('Create the first administrator') } });
    expect(await admin.authorize('allowWithoutAdministrators', 'configure')).toEqual({ ok: true, value: null });
  });

  it('a deleted admins.json refuses admin actions (ADMIN_STORE_MISSING) instead of reading as "no administrators"', async () => {
    await createAndEnable();
    await rm(join(dataDir, 'admins.json'));
    expect(await admin.authorize('allowWithoutAdministrators', 'configure')).toMatchObject({ ok: false, error: { code: 'ADMIN_STORE_MISSING' } });
    expect(await admin.authorize('refuseWithoutAdministrators', 'saveInbox')).toMatchObject({ ok: false, error: { code: 'ADMIN_STORE_MISSING' } });
    expect(await admin.createFirst('someone@example.test', testAdminPassword)).toMatchObject({ ok: false, error: { code: 'ADMIN_STORE_MISSING' } });
    expect(await admin.status()).toMatchObject({ ok: true, value: { administratorsExist: true, storeMissing: true } });
  });
});
