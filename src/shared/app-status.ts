import type { AppError } from './errors';
import type { AuthMethod } from './mail-server';

/** What `status` shows: enough for an admin to see at a glance whether mail is set up. */
export interface AppStatus {
  readonly version: string;
  readonly dataDir: string;
  readonly keychain: { readonly available: true } | { readonly available: false; readonly error: AppError };
  readonly sendDirect: {
    readonly configured: boolean;
    readonly serverName: string | null;
    readonly authMethod: AuthMethod | null;
    readonly passwordStored: boolean;
  };
}
