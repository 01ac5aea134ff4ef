import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ErrorCode, type AppError } from '../../../shared/errors';
import type { LeaseHolder, MailboxLease, MailboxLeases } from '../../records/mailbox-leases';
import { installationNameOf } from '../../platform/installation-name';
import { accountKeyOf } from './account-key';

/**
 * A run's hold on its mailbox's lease in a shared records database (records/mailbox-leases.ts): taken
 * before the run connects, renewed every third of its lifetime while the run lasts, confirmed before
 * every removal from the server, released at the end. A run whose lease was taken over (it could not
 * renew in time) or could not be renewed stops before its next removal: another installation may be
 * emptying the mailbox by then.
 */

export const defaultLeaseTtlMs = 60_000;

/**
 * The mailbox's identity, as every installation sharing the records computes it whatever it calls the
 * inbox: account (server host + user, accountKeyOf) and folder. INBOX is case-insensitive (RFC 3501 5.1);
 * other folder names are the server's own, kept as they are.
 */
export function mailboxKeyOf(host: string, user: string, folder: string): string {
  return `${accountKeyOf(host, user)}/${folder.toUpperCase() === 'INBOX' ? 'INBOX' : folder}`;
}

/**
 * This installation (this machine's data directory), as the first part of a holder's id; the second part
 * is the run's own. A lease left by an earlier run of the same installation (one that lost the database
 * before it could release it) may be taken over at once by a run that holds the data directory's lock
 * file: that lock proves the earlier run is over.
 */
export function installationOf(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${resolve(dataDir)}`).digest('hex').slice(0, 16);
}

const installationPart = (holder: LeaseHolder): string => holder.id.split(' ')[0] ?? '';

/** Thrown before a removal from the server when the lease is no longer the run's. */
export class LeaseLost extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'LeaseLost';
  }
}

export interface KeptLease {
  /** Renews the lease now; throws LeaseLost (or the database's failure) when the run may not remove mail. */
  confirm(): Promise<void>;
  /** Stops renewing and gives the lease up (left to expire if the database cannot be reached). */
  release(): Promise<void>;
}

export type LeaseTaking = { readonly taken: true; readonly kept: KeptLease } | { readonly taken: false; readonly error: AppError };

function heldElsewhere(lease: MailboxLease): AppError {
  const { host, pid } = lease.holder;
  return {
    code: ErrorCode.RetrievalInProgress,
    message: `This mailbox is already being emptied by another installation (on ${host}, process ${pid}, since ${lease.takenAt}).`,
    fix: `Wait for that run to finish; this one did nothing. If that installation has stopped, its claim on the mailbox expires at ${lease.expiresAt} and the next run goes ahead.`,
    heldBy: { host, pid, since: lease.takenAt },
  };
}

function takenOver(by: MailboxLease | null): AppError {
  const who = by ? `another installation (on ${by.holder.host}, process ${by.holder.pid}, since ${by.takenAt})` : 'another installation';
  return {
    code: ErrorCode.RetrievalInProgress,
    message: `This run stopped: it could not renew its claim on the mailbox in time, and ${who} may be emptying it now.`,
    fix: 'Nothing that was not saved in the records was removed from the server, and nothing is lost: the next run goes on where this one stopped.',
  };
}

/** Takes the mailbox's lease for this run, or says who holds it. */
export async function takeMailboxLease(leases: MailboxLeases, mailboxKey: string, dataDir: string, ttlMs = defaultLeaseTtlMs): Promise<LeaseTaking> {
  const holder: LeaseHolder = { id: `${installationOf(dataDir)} ${randomBytes(12).toString('hex')}`, host: hostname(), pid: process.pid, name: installationNameOf(dataDir) };
  let attempt = await leases.take(mailboxKey, holder, ttlMs);
  if (!attempt.taken && installationPart(attempt.heldBy.holder) === installationPart(holder)) {
    // An earlier run of this installation, over (the caller holds the lock file), that could not release it.
    await leases.release(attempt.heldBy);
    attempt = await leases.take(mailboxKey, holder, ttlMs);
  }
  if (!attempt.taken) return { taken: false, error: heldElsewhere(attempt.heldBy) };
  return { taken: true, kept: keptLease(leases, attempt.lease, ttlMs) };
}

function keptLease(leases: MailboxLeases, lease: MailboxLease, ttlMs: number): KeptLease {
  let lost = false;
  /** A renewal that failed (the database went away): the run stops with it at its next removal. */
  let failed: { readonly error: unknown } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let released = false;

  const renew = async (): Promise<void> => {
    if (!(await leases.renew(lease, ttlMs))) lost = true;
  };
  const schedule = (): void => {
    timer = setTimeout(() => {
      void renew()
        .catch((error: unknown) => {
          failed ??= { error };
        })
        .finally(() => {
          if (!released && !lost && failed === null) schedule();
        });
    }, ttlMs / 3);
    // The run's own work keeps the process alive; the renewals alone must not.
    timer.unref();
  };
  schedule();

  const stopIfLost = async (): Promise<void> => {
    if (!lost) return;
    throw new LeaseLost(takenOver(await leases.holderOf(lease.mailboxKey).catch(() => null)));
  };

  return {
    confirm: async () => {
      if (failed !== null) throw failed.error;
      await stopIfLost();
      await renew();
      await stopIfLost();
    },
    release: async () => {
      released = true;
      clearTimeout(timer);
      await leases.release(lease).catch(() => undefined);
    },
  };
}
