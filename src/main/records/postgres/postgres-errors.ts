import { DatabaseError } from 'pg';
import { ErrorCode, type AppError } from '../../../shared/errors';
import type { DatabaseAddress } from './postgres-url';

/** A PostgreSQL records database failure, already translated for the user. */
export class PostgresRecordsError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'PostgresRecordsError';
  }
}

/** Node's errors for a host or port that cannot be reached (https://nodejs.org/api/errors.html#common-system-errors). */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The database went away: SQLSTATE 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
 * and class 08, connection exceptions (https://www.postgresql.org/docs/current/errcodes-appendix.html);
 * Node's ECONNRESET and EPIPE for a socket the server closed.
 */
const lostCodes = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNRESET', 'EPIPE']);

/** node-postgres gives these without a code (pg/lib/client.js, pg-pool/index.js). */
const lostMessages = new Set(['Connection terminated unexpectedly', 'Client has encountered a connection error and is not queryable']);
const timeoutMessages = new Set(['Connection terminated due to connection timeout', 'timeout expired', 'timeout exceeded when trying to connect']);

/** The error and what it wraps: its `cause` chain and, for a connection tried on several addresses, each attempt's error. */
function errorChain(error: unknown): Array<{ readonly code?: unknown; readonly message?: unknown }> {
  const chain: Array<{ readonly code?: unknown; readonly message?: unknown }> = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && chain.length < 20) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null) continue;
    chain.push(next);
    if ('cause' in next) pending.push(next.cause);
    if ('errors' in next && Array.isArray(next.errors)) pending.push(...(next.errors as unknown[]));
  }
  return chain;
}

function hasCode(error: unknown, codes: ReadonlySet<string>): boolean {
  return errorChain(error).some((e) => typeof e.code === 'string' && codes.has(e.code));
}

function hasMessage(error: unknown, messages: ReadonlySet<string>): boolean {
  return errorChain(error).some((e) => typeof e.message === 'string' && messages.has(e.message));
}

/** The SQLSTATE of an error the server sent (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
function sqlState(error: unknown): string | undefined {
  return errorChain(error).find((e): e is DatabaseError => e instanceof DatabaseError)?.code;
}

/** node-postgres refuses SCRAM without a password itself, before the server could (pg/lib/crypto/sasl.js). */
function lacksPassword(error: unknown): boolean {
  return errorChain(error).some((e) => typeof e.message === 'string' && e.message.startsWith('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a'));
}

function isUnreachable(error: unknown): boolean {
  return hasCode(error, unreachableCodes) || hasMessage(error, timeoutMessages);
}

/**
 * True when the connection failed rather than the statement: the server went away (shut down, restarted,
 * crashed), the connection dropped, or it could not be reached again. A transaction it interrupted did
 * not commit, or (lost during COMMIT) may have: so nothing it wrote may be deleted from the mail server;
 * the next run completes the work, its unique keys keeping what did commit from being kept twice.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof PostgresRecordsError) return error.appError.code === ErrorCode.DatabaseUnavailable;
  return hasCode(error, lostCodes) || hasMessage(error, lostMessages) || isUnreachable(error);
}

const serverFix =
  'Check the host name and port in the database address, that PostgreSQL is running there, and that it accepts connections from this computer (listen_addresses in postgresql.conf, a host line in pg_hba.conf, the firewall).';

/**
 * The user's account of a PostgreSQL failure: what happened and what to do, naming the database by its
 * redacted address. Never the driver's text or a stack trace (they may name internals, never help a CRM
 * admin). `duringRun`: the database had been reached before, so a refused connection means it went away.
 */
export function postgresAppError(error: unknown, address: DatabaseAddress, { duringRun = false }: { readonly duringRun?: boolean } = {}): AppError {
  if (error instanceof PostgresRecordsError) return error.appError;
  const state = sqlState(error);
  if (state === '28P01' || state === '28000') {
    return {
      code: ErrorCode.DatabaseAuthFailed,
      message: `PostgreSQL refused the user name or password in the database address ${address.redacted}.`,
      fix: 'Correct the user name and password in the address (postgres://USER:PASSWORD@HOST/DATABASE), writing @, : or / in the password as %40, %3A and %2F. If they are right, ask the database administrator to allow this user to connect from this computer (pg_hba.conf).',
    };
  }
  if (lacksPassword(error)) {
    return {
      code: ErrorCode.DatabaseAuthFailed,
      message: `The database server of ${address.redacted} asks for a password, and none was given.`,
      fix: 'Enter the database password (in the app: the Records database dialog’s Password; on the command line: postgres://USER:PASSWORD@HOST/DATABASE, writing @, : or / in it as %40, %3A and %2F).',
    };
  }
  if (state === '3D000') {
    return {
      code: ErrorCode.DatabaseNotFound,
      message: `The database “${address.database}” does not exist on the server of ${address.redacted}.`,
      fix: `Create it on the database server (createdb ${address.database}, or CREATE DATABASE in psql), or correct the database name at the end of the address.`,
    };
  }
  if (state === '42501') {
    return {
      code: ErrorCode.DatabasePermissionDenied,
      message: `The database user in ${address.redacted} may not create or change the records tables.`,
      fix: `Make this user the owner of the database (ALTER DATABASE ${address.database} OWNER TO the user), or grant it CREATE on the schema public.`,
    };
  }
  if (hasCode(error, lostCodes) || hasMessage(error, lostMessages) || (duringRun && isUnreachable(error))) {
    return {
      code: ErrorCode.DatabaseUnavailable,
      message: `The records database at ${address.redacted} went away (it was shut down or restarted, or the connection dropped).`,
      fix: 'Nothing that was not saved in the database was deleted from the mail server: the next run completes the work. If this keeps happening, check that PostgreSQL is running.',
    };
  }
  if (isUnreachable(error)) {
    return { code: ErrorCode.DatabaseUnreachable, message: `Mail Settings could not connect to the database server of ${address.redacted}.`, fix: serverFix };
  }
  return {
    code: ErrorCode.Internal,
    message: `The records database at ${address.redacted} reported an error${state ? ` (PostgreSQL error ${state})` : ''}.`,
    fix: 'Try again. If it keeps happening, ask the database administrator to look in PostgreSQL’s log at the time of this error.',
  };
}
