import { Secret, TOTP } from 'otpauth';
import { totpSecretAccount } from '../../src/main/admin/admin-service';
import type { TwoFactorEnabled, TwoFactorSetup, AdminPasswordStep, AdminStatus } from '../../src/shared/admin';
import type { Result } from '../../src/shared/errors';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';

/**
 * The administrator every e2e window starts with (issue 14 makes saving an inbox and resetting its counter
 * admin-only): created and signed in through the app's public channels before the page loads, as a real
 * administrator would have done once. The TOTP codes come from the `otpauth` package, never the app's code.
 */
export interface TestAdministrator {
  readonly email: string;
  readonly password: string;
  /** The authenticator app's view of the account: the setup key the app showed. */
  readonly totp: TOTP;
  /** Unused recovery codes, for signing in again after a restart without waiting for a new 30 s step. */
  readonly recoveryCodes: string[];
  /** The step of the code that turned 2FA on: the app refuses it, and any earlier one, from now on. */
  readonly usedStep: number;
}

export const defaultAdministrator = { email: 'admin@example.com', password: 'correct horse battery staple' } as const;

type Dispatch = (channel: string, payload: unknown) => Promise<Result<unknown>>;

/** What an authenticator app makes of the setup key it was given (RFC 6238 defaults: SHA-1, 6 digits, 30 s). */
export function authenticatorFor(setupKey: string): TOTP {
  return new TOTP({ issuer: 'Mail Settings', secret: Secret.fromBase32(setupKey.replace(/\s+/g, '').toUpperCase()), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The TOTP step (RFC 6238's T) of a moment: a code is accepted once per step. */
export function totpStep(totp: TOTP, timestamp = Date.now()): number {
  return totp.counter({ timestamp });
}

/**
 * A code of a step after `usedStep`: the current one, or else the next one, which RFC 6238's allowance of
 * one step of clock drift (section 5.2) accepts already; only when that was used too, the next step's.
 */
export async function freshCode(totp: TOTP, usedStep: number): Promise<{ readonly code: string; readonly step: number }> {
  for (;;) {
    const now = Date.now();
    const current = totpStep(totp, now);
    const step = Math.max(current, usedStep + 1);
    if (step <= current + 1) return { code: totp.generate({ timestamp: step * totp.period * 1000 }), step };
    // Even the next step's code was used: wait for the step to move on, as a user would.
    await new Promise((resolve) => setTimeout(resolve, totp.remaining({ timestamp: now }) + 50));
  }
}

function valueOf<T>(result: Result<unknown>, what: string): T {
  if (!result.ok) throw new Error(`${what} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Creates the first administrator and turns 2FA on (which signs it in), through the contract's channels. */
export async function createSignedInAdministrator(dispatch: Dispatch, account: { readonly email: string; readonly password: string } = defaultAdministrator): Promise<TestAdministrator> {
  const setup = valueOf<TwoFactorSetup>(await dispatch('createFirstAdmin', account), 'createFirstAdmin');
  const totp = authenticatorFor(setup.setupKey);
  const usedStep = totpStep(totp);
  const enabled = valueOf<TwoFactorEnabled>(
    await dispatch('confirmTwoFactor', { email: account.email, code: totp.generate({ timestamp: usedStep * totp.period * 1000 }) }),
    'confirmTwoFactor',
  );
  if (enabled.status.signedIn === null) throw new Error('confirmTwoFactor did not sign the administrator in.');
  return { ...account, totp, recoveryCodes: [...enabled.recoveryCodes], usedStep };
}

/**
 * Signs the administrator in again (after a restart of the services, whose session was in memory): the
 * password, then a recovery code, so a test never waits for a new 30 s step.
 */
export async function signInAgain(dispatch: Dispatch, administrator: TestAdministrator): Promise<void> {
  valueOf<AdminPasswordStep>(await dispatch('adminSignInPassword', { email: administrator.email, password: administrator.password }), 'adminSignInPassword');
  const code = administrator.recoveryCodes.shift();
  if (code === undefined) throw new Error('The test administrator has no recovery code left.');
  valueOf<AdminStatus>(await dispatch('adminSignInCode', { email: administrator.email, code }), 'adminSignInCode');
}

/** Each test starts from an empty data dir: the administrators' TOTP secrets in its keychain go with it. */
export async function clearAdministratorSecrets(dataDir: string, emails: readonly string[]): Promise<void> {
  const store = createKeytarSecretStore(keychainServiceFor(dataDir));
  for (const email of emails) await store.delete(totpSecretAccount(email)).catch(() => false);
}
