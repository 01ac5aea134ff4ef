import type { AdminPasswordStep, AdminSession, AdminStatus, TwoFactorEnabled, TwoFactorSetup } from '../../shared/admin';
import { fail, ok, type AppError, type Result } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log/logger';
import { SecretStoreError, type SecretStore } from '../secrets/secret-store';
import { SettingsError, type SettingsStore } from '../settings/settings-store';
import { createAdminAuditLog, type AdminAuditLog } from './admin-audit-log';
import {
  administratorExists,
  adminRequired,
  codeReused,
  codeWrong,
  credentialsWrong,
  lockedOut,
  passwordNeededForCode,
  passwordStepNeeded,
  twoFactorKeptElsewhere,
  twoFactorNotSetUp,
  twoFactorOnAlready,
} from './admin-errors';
import { afterSignIn, afterWrongAttempt, lockLeftMs } from './admin-lockout';
import type { AdminSessionStore, StoredAdminSession } from './admin-sessions';
import { AdminStoreError, createAdminStore, type AdminStore, type StoredAdmin } from './admin-store';
import { hashSecret, verifySecret } from './password-hash';
import { passwordProblems, weakPassword } from './password-rules';
import { hashRecoveryCodes, looksLikeRecoveryCode, matchRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { openTotpSecret, sealTotpSecret } from './sealed-totp-secret';
import { matchTotp, newTotpSecret, otpauthUri, setupKeyOf } from './totp';

/**
 * Administrators of this installation (issue 14): the first one's creation with its 2FA set-up, the two-step
 * sign-in (password, then the authenticator app's security number or a recovery code), lockout, replay
 * refusal, the admin session (15 idle minutes), and `authorize` for every admin-only action. Plain Node:
 * the app, `mail-settings ui` and the CLI use it alike; only the session store differs.
 */

/** What the app asks of admin-only actions: no administrators is a refusal. The CLI's `configure` lets it through. */
export type AdminPolicy = 'refuseWithoutAdministrators' | 'allowWithoutAdministrators';

export interface AdminService {
  status(): Promise<Result<AdminStatus>>;
  /** While no administrator has 2FA on: creates the first one (a pending one is replaced), 2FA still to set up. */
  createFirst(email: string, password: string): Promise<Result<TwoFactorSetup>>;
  /** `admin 2fa setup`: the password again, then a new secret for an administrator whose 2FA is not on yet. */
  setUpTwoFactor(email: string, password: string): Promise<Result<TwoFactorSetup>>;
  /**
   * A right security number turns 2FA on and opens the session; the recovery codes are answered this once.
   * `password`: team mode, in a process other than the set-up's (the CLI), where it opens the sealed secret.
   */
  confirmTwoFactor(email: string, code: string, password?: string): Promise<Result<TwoFactorEnabled>>;
  /** The sign-in's first step; remembered in this process for 5 minutes. 2FA pending: a new set-up instead. */
  signInPassword(email: string, password: string): Promise<Result<AdminPasswordStep>>;
  /** The second step: the security number (once each) or a recovery code (once each); opens the session. */
  signInCode(email: string, code: string): Promise<Result<AdminStatus>>;
  /** Both steps at once (the CLI's `admin sign-in`). */
  signIn(email: string, password: string, code: string): Promise<Result<AdminStatus>>;
  signOut(): Promise<Result<AdminStatus>>;
  /** The user is at work: a session's 15 idle minutes start again. */
  noteActivity(): Promise<Result<AdminStatus>>;
  /**
   * For an admin-only action (`action` names it in the audit log): the session, renewed, or null when no
   * administrator exists and the policy lets that through; ADMIN_REQUIRED or ADMIN_STORE_MISSING otherwise.
   */
  authorize(policy: AdminPolicy, action: string): Promise<Result<AdminSession | null>>;
  /** Stops the session's timer. */
  stop(): void;
}

/** Injected so tests can run the 15 minutes in an instant; the runtime passes the real ones. */
export interface AdminTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AdminServiceDeps {
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly events: EventBus;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly sessions: AdminSessionStore;
  readonly timers?: AdminTimers;
  readonly audit?: AdminAuditLog;
  /** Where the administrators are: by default this data directory's admins.json; in team mode the shared database's. */
  readonly store?: AdminStore;
}

export const sessionIdleMs = 15 * 60_000;
/** How long the password step is remembered for the security number to follow. */
export const passwordStepMs = 5 * 60_000;

/** The keychain entry of an administrator's TOTP secret. */
export function totpSecretAccount(email: string): string {
  return `admin/${email}/totp`;
}

const realTimers: AdminTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

type CodeCheck =
  | { readonly kind: 'accepted'; readonly admin: StoredAdmin }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'reused' }
  /** Team mode: the secret is still only in another installation's keychain. */
  | { readonly kind: 'keptElsewhere'; readonly installation: string };

export function createAdminService(deps: AdminServiceDeps): AdminService {
  const { dataDir, settings, secrets, events, now, sessions } = deps;
  const store = deps.store ?? createAdminStore(dataDir);
  const audit = deps.audit ?? createAdminAuditLog(dataDir, now);
  const timers = deps.timers ?? realTimers;
  const passedPassword = new Map<string, number>();
  /** Team mode: the TOTP secrets opened (or created) at a password step, for the security number that follows. */
  const openedSecrets = new Map<string, { readonly secret: string; readonly at: number }>();
  let expiryTimer: unknown = null;
  /** A hash to check unknown emails against, so a wrong email takes as long as a wrong password. */
  let decoyHash: Promise<string> | undefined;

  const normalized = (email: string): string => email.trim().toLowerCase();

  async function record(email: string | null, action: string, outcome: string): Promise<void> {
    await audit.record({ email, action, outcome }).catch((error: unknown) => {
      deps.logger.error('The administrators’ audit log could not be written', { error: error instanceof Error ? error.message : String(error) });
    });
  }

  /** Runs an operation; the failures a user can act on (the store, the keychain, the settings) become results. */
  async function guarded<T>(operation: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await operation();
    } catch (cause) {
      if (!(cause instanceof AdminStoreError || cause instanceof SecretStoreError || cause instanceof SettingsError)) throw cause;
      return fail(cause.appError);
    }
  }

  /** As `guarded`, and the outcome goes to the audit log. */
  async function attempt<T>(action: string, email: string | null, operation: () => Promise<Result<T>>): Promise<Result<T>> {
    const result = await guarded(operation);
    await record(email, action, result.ok ? 'ok' : result.error.code);
    return result;
  }

  function missingStore(): AppError {
    return store.missing(settings.path);
  }

  /** The administrators, or the refusal: a missing file after the settings recorded some is not "none". */
  async function readAdmins(): Promise<Result<StoredAdmin[]>> {
    const admins = await store.read();
    if (admins === null) return settings.administratorsExist() ? fail(missingStore()) : ok([]);
    return ok(admins);
  }

  /**
   * A new TOTP secret: kept in this keychain, or in team mode sealed under the password for the
   * administrator's record (`sealed`) and held here for the security number that confirms it.
   */
  async function newSetup(email: string, password: string): Promise<{ readonly setup: TwoFactorSetup; readonly sealed: string | null }> {
    const secret = newTotpSecret();
    const setup = { email, otpauthUri: otpauthUri(email, secret), setupKey: setupKeyOf(secret) };
    if (!store.shared) {
      await secrets.set(totpSecretAccount(email), secret);
      return { setup, sealed: null };
    }
    openedSecrets.set(email, { secret, at: now().getTime() });
    return { setup, sealed: await sealTotpSecret(secret, password, email) };
  }

  function withSealedSecret(admin: StoredAdmin, sealed: string): StoredAdmin {
    const next: StoredAdmin = { ...admin, sealedTotpSecret: sealed };
    delete next.totpKeptBy;
    return next;
  }

  /** Team mode: the secret opened at a password step less than 5 minutes ago, or null. */
  function openedSecret(email: string): string | null {
    const opened = openedSecrets.get(email);
    if (opened === undefined) return null;
    if (now().getTime() - opened.at <= passwordStepMs) return opened.secret;
    openedSecrets.delete(email);
    return null;
  }

  /**
   * Team mode, after a right password: opens the administrator's TOTP secret for the security number
   * that follows. One still only in this installation's keychain (administrators brought from admins.json)
   * is sealed now: the record to write back, so that every installation can check the numbers from then on.
   */
  async function unlock(admin: StoredAdmin, password: string): Promise<StoredAdmin | null> {
    if (!store.shared) return null;
    if (admin.sealedTotpSecret !== undefined) {
      const secret = await openTotpSecret(admin.sealedTotpSecret, password, admin.email);
      if (secret !== null) openedSecrets.set(admin.email, { secret, at: now().getTime() });
      return null;
    }
    const secret = await secrets.get(totpSecretAccount(admin.email));
    if (secret === null) return null;
    openedSecrets.set(admin.email, { secret, at: now().getTime() });
    return withSealedSecret(admin, await sealTotpSecret(secret, password, admin.email));
  }

  function sessionView(session: StoredAdminSession): AdminSession {
    return { email: session.email, expiresAt: new Date(Date.parse(session.lastUsedAt) + sessionIdleMs).toISOString() };
  }

  function scheduleExpiry(session: StoredAdminSession | null): void {
    if (expiryTimer !== null) timers.clearTimeout(expiryTimer);
    expiryTimer = null;
    if (session === null) return;
    const left = Date.parse(session.lastUsedAt) + sessionIdleMs - now().getTime();
    expiryTimer = timers.setTimeout(() => {
      expiryTimer = null;
      void currentSession().catch(() => null);
    }, Math.max(0, left));
  }

  /** The session, or null; one that has been idle 15 minutes ends here (said once, to the windows and the audit log). */
  async function currentSession(): Promise<StoredAdminSession | null> {
    const session = await sessions.read();
    if (session === null) return null;
    const idle = now().getTime() - Date.parse(session.lastUsedAt);
    if (Number.isFinite(idle) && idle < sessionIdleMs) {
      if (expiryTimer === null) scheduleExpiry(session);
      return session;
    }
    await sessions.clear();
    scheduleExpiry(null);
    await record(session.email, 'sessionEnded', 'idle');
    events.emit('adminChanged', await statusValue());
    return null;
  }

  async function openSession(email: string): Promise<void> {
    const session = { email, lastUsedAt: now().toISOString() };
    await sessions.write(session);
    scheduleExpiry(session);
  }

  async function statusValue(): Promise<AdminStatus> {
    let admins: StoredAdmin[] | null;
    let damaged = false;
    try {
      admins = await store.read();
    } catch (error) {
      if (!(error instanceof AdminStoreError)) throw error;
      admins = null;
      damaged = true;
    }
    const recorded = settings.administratorsExist();
    const session = await sessions.read();
    const fresh = session !== null && now().getTime() - Date.parse(session.lastUsedAt) < sessionIdleMs;
    return {
      administratorsExist: recorded || (admins?.length ?? 0) > 0,
      storeMissing: damaged || (admins === null && recorded),
      signedIn: fresh ? sessionView(session) : null,
    };
  }

  async function changed(): Promise<AdminStatus> {
    const status = await statusValue();
    events.emit('adminChanged', status);
    return status;
  }

  /** The password step inside the store's lock: unknown email and wrong password answer alike. */
  async function checkPassword(
    admins: StoredAdmin[],
    email: string,
    password: string,
  ): Promise<{ readonly admins?: StoredAdmin[]; readonly result: Result<StoredAdmin> }> {
    const admin = admins.find((candidate) => candidate.email === email);
    if (!admin) {
      await verifySecret(password, await (decoyHash ??= hashSecret('decoy password, never matched')));
      return { result: fail(credentialsWrong) };
    }
    const left = lockLeftMs(admin, now());
    if (left > 0) return { result: fail(lockedOut(email, left)) };
    if (await verifySecret(password, admin.passwordHash)) return { result: ok(admin) };
    return wrongAttempt(admins, admin, credentialsWrong);
  }

  function wrongAttempt(admins: StoredAdmin[], admin: StoredAdmin, error: AppError): { readonly admins: StoredAdmin[]; readonly result: Result<never> } {
    const next = afterWrongAttempt(admin, now());
    const left = lockLeftMs(next, now());
    if (left > 0) passedPassword.delete(admin.email);
    return { admins: replaced(admins, next), result: fail(left > 0 ? lockedOut(admin.email, left) : error) };
  }

  function replaced(admins: readonly StoredAdmin[], admin: StoredAdmin): StoredAdmin[] {
    return admins.map((candidate) => (candidate.email === admin.email ? admin : candidate));
  }

  /** The security number (each 30-second step once) or a recovery code (each once). */
  async function checkCode(admin: StoredAdmin, code: string): Promise<CodeCheck> {
    const typed = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(typed)) {
      const secret = store.shared ? openedSecret(admin.email) : await secrets.get(totpSecretAccount(admin.email));
      if (secret === null) return admin.totpKeptBy !== undefined ? { kind: 'keptElsewhere', installation: admin.totpKeptBy } : { kind: 'wrong' };
      const step = matchTotp(secret, typed, now());
      if (step === null) return { kind: 'wrong' };
      if (admin.lastAcceptedStep !== null && step <= admin.lastAcceptedStep) return { kind: 'reused' };
      return { kind: 'accepted', admin: { ...admin, lastAcceptedStep: step } };
    }
    if (admin.twoFactor === 'on' && looksLikeRecoveryCode(typed)) {
      const index = await matchRecoveryCode(typed, admin.recoveryCodes);
      if (index >= 0) return { kind: 'accepted', admin: { ...admin, recoveryCodes: admin.recoveryCodes.filter((_, at) => at !== index) } };
    }
    return { kind: 'wrong' };
  }

  /** The code step inside the store's lock, for an administrator whose 2FA is on: a right code opens the session. */
  async function codeStep(admins: StoredAdmin[], admin: StoredAdmin, code: string): Promise<{ readonly admins?: StoredAdmin[]; readonly result: Result<StoredAdmin> }> {
    const left = lockLeftMs(admin, now());
    if (left > 0) return { result: fail(lockedOut(admin.email, left)) };
    const checked = await checkCode(admin, code);
    // A replayed code is not a guess: refused, but not counted towards the lockout.
    if (checked.kind === 'reused') return { result: fail(codeReused) };
    if (checked.kind === 'keptElsewhere') return { result: fail(twoFactorKeptElsewhere(admin.email, checked.installation)) };
    if (checked.kind === 'wrong') return wrongAttempt(admins, admin, codeWrong);
    const signedIn = afterSignIn(checked.admin);
    passedPassword.delete(admin.email);
    openedSecrets.delete(admin.email);
    return { admins: replaced(admins, signedIn), result: ok(signedIn) };
  }

  return {
    status: () => guarded(async () => ok(await statusValue())),

    createFirst: (typedEmail, password) => {
      const email = normalized(typedEmail);
      return attempt('createFirst', email, async () => {
        const problems = passwordProblems(password, email);
        if (problems.length > 0) return fail(weakPassword(problems));
        const setup = await store.update(async (stored) => {
          if (stored === null && settings.administratorsExist()) return { result: fail<TwoFactorSetup>(missingStore()) };
          const admins = stored ?? [];
          if (admins.some((admin) => admin.twoFactor === 'on')) return { result: fail<TwoFactorSetup>(administratorExists) };
          // Until an administrator has 2FA on, nothing is protected yet: a set-up left half done is started over.
          const passwordHash = await hashSecret(password);
          const created = await newSetup(email, password);
          for (const pending of admins) if (pending.email !== email) await secrets.delete(totpSecretAccount(pending.email));
          const admin: StoredAdmin = {
            email,
            passwordHash,
            twoFactor: 'pending',
            recoveryCodes: [],
            lastAcceptedStep: null,
            failedAttempts: 0,
            lockedUntil: null,
            locks: 0,
            createdAt: now().toISOString(),
            ...(created.sealed !== null ? { sealedTotpSecret: created.sealed } : {}),
          };
          return { admins: [admin], result: ok(created.setup) };
        });
        if (setup.ok) {
          settings.recordAdministratorsExist();
          await changed();
        }
        return setup;
      });
    },

    setUpTwoFactor: (typedEmail, password) => {
      const email = normalized(typedEmail);
      return attempt('setUpTwoFactor', email, () =>
        store.update(async (stored) => {
          if (stored === null) return { result: settings.administratorsExist() ? fail(missingStore()) : fail(credentialsWrong) };
          const checked = await checkPassword(stored, email, password);
          if (!checked.result.ok) return { admins: checked.admins, result: fail<TwoFactorSetup>(checked.result.error) };
          if (checked.result.value.twoFactor === 'on') return { result: fail<TwoFactorSetup>(twoFactorOnAlready(email)) };
          const created = await newSetup(email, password);
          return { admins: created.sealed === null ? undefined : replaced(stored, withSealedSecret(checked.result.value, created.sealed)), result: ok(created.setup) };
        }),
      );
    },

    confirmTwoFactor: (typedEmail, code, password) => {
      const email = normalized(typedEmail);
      return attempt('confirmTwoFactor', email, async () => {
        const enabled = await store.update(async (stored) => {
          if (stored === null) return { result: settings.administratorsExist() ? fail<string[]>(missingStore()) : fail<string[]>(twoFactorNotSetUp(email)) };
          const admin = stored.find((candidate) => candidate.email === email);
          if (!admin) return { result: fail<string[]>(twoFactorNotSetUp(email)) };
          if (admin.twoFactor === 'on') return { result: fail<string[]>(twoFactorOnAlready(email)) };
          if (store.shared && openedSecret(email) === null) {
            // A new process (the CLI's `2fa verify`): the set-up's secret opens with the password, or not at all.
            const secret = password === undefined || admin.sealedTotpSecret === undefined ? null : await openTotpSecret(admin.sealedTotpSecret, password, email);
            if (secret === null) return password === undefined ? { result: fail<string[]>(passwordNeededForCode) } : wrongAttempt(stored, admin, credentialsWrong);
            openedSecrets.set(email, { secret, at: now().getTime() });
          }
          const checked = await codeStep(stored, admin, code);
          if (!checked.result.ok) return { admins: checked.admins, result: fail<string[]>(checked.result.error) };
          const recoveryCodes = newRecoveryCodes();
          const on: StoredAdmin = { ...checked.result.value, twoFactor: 'on', recoveryCodes: await hashRecoveryCodes(recoveryCodes) };
          return { admins: replaced(checked.admins ?? stored, on), result: ok(recoveryCodes) };
        });
        if (!enabled.ok) return enabled;
        await openSession(email);
        return ok({ recoveryCodes: enabled.value, status: await changed() });
      });
    },

    signInPassword: (typedEmail, password) => {
      const email = normalized(typedEmail);
      return attempt('signInPassword', email, () =>
        store.update(async (stored) => {
          if (stored === null) return { result: settings.administratorsExist() ? fail(missingStore()) : fail(credentialsWrong) };
          const checked = await checkPassword(stored, email, password);
          if (!checked.result.ok) return { admins: checked.admins, result: fail<AdminPasswordStep>(checked.result.error) };
          if (checked.result.value.twoFactor === 'pending') {
            const created = await newSetup(email, password);
            return {
              admins: created.sealed === null ? undefined : replaced(stored, withSealedSecret(checked.result.value, created.sealed)),
              result: ok<AdminPasswordStep>({ next: 'setUpTwoFactor', setup: created.setup }),
            };
          }
          const sealedNow = await unlock(checked.result.value, password);
          passedPassword.set(email, now().getTime());
          return { admins: sealedNow === null ? undefined : replaced(stored, sealedNow), result: ok<AdminPasswordStep>({ next: 'code', email }) };
        }),
      );
    },

    signInCode: (typedEmail, code) => {
      const email = normalized(typedEmail);
      return attempt('signInCode', email, async () => {
        const passedAt = passedPassword.get(email);
        if (passedAt === undefined || now().getTime() - passedAt > passwordStepMs) {
          passedPassword.delete(email);
          return fail(passwordStepNeeded);
        }
        const signedIn = await store.update(async (stored) => {
          if (stored === null) return { result: settings.administratorsExist() ? fail(missingStore()) : fail(credentialsWrong) };
          const admin = stored.find((candidate) => candidate.email === email);
          if (!admin) return { result: fail(credentialsWrong) };
          if (admin.twoFactor !== 'on') return { result: fail(twoFactorNotSetUp(email)) };
          return codeStep(stored, admin, code);
        });
        if (!signedIn.ok) return signedIn;
        await openSession(email);
        return ok(await changed());
      });
    },

    signIn: (typedEmail, password, code) => {
      const email = normalized(typedEmail);
      return attempt('signIn', email, async () => {
        const signedIn = await store.update(async (stored) => {
          if (stored === null) return { result: settings.administratorsExist() ? fail(missingStore()) : fail(credentialsWrong) };
          const checked = await checkPassword(stored, email, password);
          if (!checked.result.ok) return checked;
          if (checked.result.value.twoFactor !== 'on') return { result: fail<StoredAdmin>(twoFactorNotSetUp(email)) };
          const sealedNow = await unlock(checked.result.value, password);
          const admins = sealedNow === null ? stored : replaced(stored, sealedNow);
          const stepped = await codeStep(admins, sealedNow ?? checked.result.value, code);
          // A refused number must not undo the sealing: it is written with the failure's count.
          return stepped.admins === undefined && sealedNow !== null ? { admins, result: stepped.result } : stepped;
        });
        if (!signedIn.ok) return signedIn;
        await openSession(email);
        return ok(await changed());
      });
    },

    signOut: async () => {
      const session = await sessions.read().catch(() => null);
      return attempt('signOut', session?.email ?? null, async () => {
        await sessions.clear();
        scheduleExpiry(null);
        passedPassword.clear();
        openedSecrets.clear();
        return ok(await changed());
      });
    },

    noteActivity: () =>
      guarded(async () => {
        const session = await currentSession();
        if (session !== null) await openSession(session.email);
        return ok(await statusValue());
      }),

    authorize: async (policy, action) => {
      let email: string | null = null;
      const result = await guarded(async (): Promise<Result<AdminSession | null>> => {
        const admins = await readAdmins();
        if (!admins.ok) return admins;
        if (admins.value.length === 0 && !settings.administratorsExist()) {
          return policy === 'allowWithoutAdministrators' ? ok(null) : fail(adminRequired(false));
        }
        const session = await currentSession();
        const admin = session && admins.value.find((candidate) => candidate.email === session.email && candidate.twoFactor === 'on');
        if (!session || !admin) return fail(adminRequired(true));
        email = admin.email;
        await openSession(admin.email);
        return ok(sessionView({ email: admin.email, lastUsedAt: now().toISOString() }));
      });
      // Who did what: an action let through without administrators is not recorded (there is nobody to name).
      if (!result.ok || email !== null) await record(email, action, result.ok ? 'ok' : result.error.code);
      return result;
    },

    stop: () => scheduleExpiry(null),
  };
}
