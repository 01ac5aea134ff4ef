import { fail, ok, type Result } from '../shared/errors';
import { SecretStoreError } from './secrets/secret-store';
import { SettingsError } from './settings/settings-store';

/** Runs a service operation and turns the failures a user can act on into results. */
export async function guarded<T>(operation: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await operation());
  } catch (cause) {
    if (cause instanceof SecretStoreError || cause instanceof SettingsError) return fail(cause.appError);
    throw cause;
  }
}

