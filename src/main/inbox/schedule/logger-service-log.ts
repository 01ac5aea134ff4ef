import type { Logger } from '../../log/logger';
import type { LogFields, ServiceLog } from '../../service/service-log';

/**
 * The app's schedule tells the app's own log file what serve tells standard output: the same events
 * and fields, so a support request reads the same either way. Debug lines (each batch) are left out.
 */
export function serviceLogOf(logger: Logger): ServiceLog {
  const details = (fields: LogFields = {}): Record<string, unknown> => ({ ...fields });
  return {
    error: (event, fields) => logger.error(event, details(fields)),
    warn: (event, fields) => logger.warn(event, details(fields)),
    info: (event, fields) => logger.info(event, details(fields)),
    debug: () => undefined,
  };
}
