import { defaultLeaseTtlMs } from './mailbox-lease-keeper';

/**
 * How long a mailbox's lease on shared records lasts unrenewed (mailbox-lease-keeper.ts), from the
 * environment: the time another installation waits to take a mailbox over from one that died. Shorter
 * means a faster takeover and a renewal every third of it; longer rides out a longer stall of the
 * holder (a slow commit, a network hiccup to the database) without losing the lease.
 */
export const leaseTtlEnvVar = 'MAIL_SETTINGS_LEASE_TTL_SECONDS';

/** Below 2 s a renewal (due every third of it) has too little time for a round trip to the database; above an hour a dead holder blocks the mailbox too long. */
export const shortestLeaseTtlSeconds = 2;
export const longestLeaseTtlSeconds = 3_600;

export type LeaseTtlSetting = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

/** The lease's lifetime: the variable's whole number of seconds, else the default (60 s) when it is unset or empty. */
export function leaseTtlFrom(env: NodeJS.ProcessEnv): LeaseTtlSetting {
  const text = env[leaseTtlEnvVar]?.trim() ?? '';
  if (text === '') return { ok: true, ms: defaultLeaseTtlMs };
  const seconds = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds >= shortestLeaseTtlSeconds && seconds <= longestLeaseTtlSeconds)) {
    return {
      ok: false,
      message: `${leaseTtlEnvVar} must be a whole number of seconds from ${shortestLeaseTtlSeconds} to ${longestLeaseTtlSeconds} (it is “${text}”); unset, it is ${defaultLeaseTtlMs / 1_000}.`,
    };
  }
  return { ok: true, ms: seconds * 1_000 };
}
