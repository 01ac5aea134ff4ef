import type { z } from 'zod';
import { ErrorCode, fail, type Result } from './errors';
import { fieldErrorsOf } from './field-errors';

/**
 * A request its contract schema refused, as the caller is told: INVALID_INPUT, the first field's sentence as
 * the message, and every field's. Main's dispatcher answers it; so does the browser page for the one call it
 * answers itself (choosing attachments, src/renderer/web/).
 */
export function invalidInputOf(error: z.ZodError): Result<never> {
  const fieldErrors = fieldErrorsOf(error);
  return fail({
    code: ErrorCode.InvalidInput,
    message: Object.values(fieldErrors)[0] ?? 'Some of the values entered are not valid.',
    fieldErrors,
  });
}
