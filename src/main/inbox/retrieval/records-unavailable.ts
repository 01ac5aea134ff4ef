import { ErrorCode, type AppError } from '../../../shared/errors';
import { PostgresRecordsError, isConnectionLoss } from '../../records/postgres/postgres-errors';
import type { RetrievalDependencies } from './retrieval-types';

/**
 * The records database went away during a run (PostgreSQL shut down or restarted, the network dropped).
 * Whatever the run was doing stops: a batch whose COMMIT failed, or whose answer never came, counts as not
 * kept, so it is not removed from the server; the next run finds what did commit by UID or content and
 * only removes it.
 */
export class RecordsUnavailable extends Error {
  readonly appError: AppError;

  constructor(cause: unknown) {
    super('The records database went away', { cause });
    this.name = 'RecordsUnavailable';
    this.appError =
      cause instanceof PostgresRecordsError
        ? cause.appError
        : {
            code: ErrorCode.DatabaseUnavailable,
            message: 'The records database went away during the run (it was shut down or restarted, or the connection dropped).',
            fix: 'Nothing that was not saved in the database was deleted from the mail server: the next run completes the work. If this keeps happening, check that PostgreSQL is running.',
          };
  }
}

/**
 * `part` with its methods' failures that are a lost database connection thrown as RecordsUnavailable.
 * Only the records' failures: an IMAP socket's ECONNRESET is the mail server's, and must stay so.
 */
function guarded<T extends object>(part: T): T {
  return new Proxy(part, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        try {
          return await (value as (...args: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          throw isConnectionLoss(error) && !(error instanceof RecordsUnavailable) ? new RecordsUnavailable(error) : error;
        }
      };
    },
  });
}

/** The run's dependencies with every records part guarded (see guarded). */
export function withRecordsGuarded(deps: RetrievalDependencies): RetrievalDependencies {
  return {
    ...deps,
    records: guarded(deps.records),
    ...(deps.quarantine ? { quarantine: guarded(deps.quarantine) } : {}),
    ...(deps.counters ? { counters: guarded(deps.counters) } : {}),
    ...(deps.leases ? { leases: guarded(deps.leases) } : {}),
  };
}
