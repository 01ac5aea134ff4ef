import type { AppError, Result } from '../shared/errors';
import { ErrorCode } from '../shared/errors';

/**
 * The preload answers with Results, but the bridge itself can still reject (the window is closing, a value
 * could not be cloned): that becomes a Result too, so no button is ever stuck on "Saving…" or "Testing…".
 */
export async function callSafely<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch {
    const error: AppError = {
      code: ErrorCode.Internal,
      message: 'Mail Settings could not reach its background service. Nothing was changed.',
      fix: 'Close the Mail Settings window and open it again.',
    };
    return { ok: false, error };
  }
}
