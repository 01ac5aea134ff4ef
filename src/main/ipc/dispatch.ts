import { contract, isChannel, type Channel } from '../../shared/contract';
import { ErrorCode, fail, type Result } from '../../shared/errors';
import { invalidInputOf } from '../../shared/invalid-input';
import { describeError, type Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import { redactErrorsWithin } from '../log/redact-value';
import { PostgresRecordsError } from '../records/postgres/postgres-errors';
import type { HandlerTable } from './handler-table';

export type Dispatch = (channel: string, payload: unknown) => Promise<Result<unknown>>;

/**
 * The single entry point from IPC (or the web UI) into the handler table. The payload stays `unknown`
 * until the channel's zod schema parses it; nothing thrown inside a handler crosses IPC: the caller always
 * gets a Result. Every error in it (a failure, an account's `reason`) has every secret this process knows
 * blanked from its texts: a server's or a library's words quoted in a message may carry a password or a token.
 */
export function createDispatch(table: HandlerTable, logger: Logger, secrets: SecretRegistry): Dispatch {
  return async (channel, payload) => redactErrorsWithin(await dispatchUnredacted(channel, payload), secrets.values());

  async function dispatchUnredacted(channel: string, payload: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return fail({ code: ErrorCode.UnknownChannel, message: `Mail Settings has no operation called “${channel}”.` });
    }
    const parsed = contract[channel].request.safeParse(payload);
    if (!parsed.success) return invalidInputOf(parsed.error);
    try {
      return await (table[channel] as (request: unknown) => Promise<Result<unknown>>)(parsed.data);
    } catch (error) {
      // The records database could not be opened or went away: the user's to fix, said with its fix.
      if (error instanceof PostgresRecordsError) return fail(error.appError);
      logger.error(`Unexpected failure in ${channel satisfies Channel}`, describeError(error));
      return fail({
        code: ErrorCode.Internal,
        message: 'Something went wrong inside Mail Settings. Nothing was changed.',
        fix: 'Try again. If it keeps happening, send the log file (in the logs folder of the data directory) to support@legrandcrm.com.',
      });
    }
  }
}
