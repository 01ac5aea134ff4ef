import { resolve } from 'node:path';
import type { AppError } from '../../shared/errors';
import type { SecretRegistry } from '../log/redact';
import { redactAppError } from '../log/redact-value';
import type { Runtime, RuntimeOptions } from '../node-runtime';
import type { SecretStore } from '../secrets/secret-store';

/** `--keychain-file FILE [--keychain-passphrase-file F]`: secrets in an encrypted file, not the OS keychain. */
export interface KeychainFileChoice {
  readonly path: string;
  /** null: the systemd credential ($CREDENTIALS_DIRECTORY/mail-settings-keychain), if there is one. */
  readonly passphraseFile: string | null;
}

/** What every command gets: where to write, whether to write JSON, and how to start the services. */
export interface CliContext {
  readonly json: boolean;
  readonly dataDir: string;
  readonly out: (text: string) => void;
  /** Bytes exactly as they are (`records raw`), resolved once they are handed to the output. */
  readonly outBytes: (bytes: Uint8Array) => Promise<void>;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Secrets this run has seen (read from stdin, or from the keychain by the services), blanked from every failure printed. */
  readonly secrets: SecretRegistry;
  /** null: the OS keychain. */
  readonly keychainFile: KeychainFileChoice | null;
  /** `--database URL`: the records database of this run (else MAIL_SETTINGS_DATABASE_URL, the saved setting, the data directory). */
  readonly databaseUrl: string | null;
}

/**
 * The secret store the command line chose: the keychain file, or undefined for the OS keychain (the
 * runtime's default). For every command that starts the services (`serve` and `ui` too). The passphrase
 * is read on first use and joins the run's secrets, so no failure ever prints it.
 */
export async function chosenSecretStore(context: CliContext): Promise<SecretStore | undefined> {
  const choice = context.keychainFile;
  if (choice === null) return undefined;
  const [{ createFileSecretStore }, { keychainServiceFor }, { readKeychainPassphrase }] = await Promise.all([
    import('../secrets/file-secret-store'),
    import('../secrets/keychain-service'),
    import('../secrets/keychain-passphrase'),
  ]);
  const path = resolve(choice.path);
  return createFileSecretStore({
    path,
    service: keychainServiceFor(context.dataDir, context.env),
    passphrase: async () => {
      const passphrase = await readKeychainPassphrase(path, { passphraseFile: choice.passphraseFile, env: context.env });
      context.secrets.remember(passphrase);
      return passphrase;
    },
  });
}

/**
 * Prints a failure the way the caller asked (one JSON line, or the sentence and the fix) and gives exit code
 * 1. Every secret the run knows is blanked first: the terminal, a CI log or a pipe is no place for it.
 */
export function reportFailure(context: CliContext, failure: AppError): number {
  const error = redactAppError(failure, context.secrets.values());
  if (context.json) context.out(`${JSON.stringify({ ok: false, error })}\n`);
  else context.err(`${error.message}${error.fix ? `\n${error.fix}` : ''}\n`);
  return 1;
}

export function printJson(context: CliContext, value: unknown): void {
  context.out(`${JSON.stringify(value)}\n`);
}

/**
 * Starts the services on the data directory, runs `task`, stops them. A damaged settings file is reported.
 * The services are loaded here, on first use, so `--help`, `--version` and a mistyped command load none
 * of them (nor the records database).
 */
export async function withRuntime(
  context: CliContext,
  task: (runtime: Runtime) => Promise<number>,
  /** What a command that stands in for the desktop app (`ui`) runs as the app does; one-shot commands run none of it. */
  background: Pick<RuntimeOptions, 'scheduleInboxes' | 'accountCheckIntervalMs' | 'adminSessions'> = {},
): Promise<number> {
  const [{ startRuntime }, { createSystemOpener }, { openConfSettings, SettingsError }, { PostgresRecordsError }, { SecretStoreError }] = await Promise.all([
    import('../node-runtime'),
    import('../platform/system-opener'),
    import('../settings/settings-store'),
    import('../records/postgres/postgres-errors'),
    import('../secrets/secret-store'),
  ]);
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      dataDir: context.dataDir,
      openSettings: openConfSettings,
      externalOpener: createSystemOpener(),
      accountCheckIntervalMs: 0,
      // One-shot commands share the session `admin sign-in` left in the keychain; `ui` and `serve` hold their own, as the app does.
      adminSessions: 'keychain',
      ...background,
      secretRegistry: context.secrets,
      secrets: await chosenSecretStore(context),
      databaseUrl: context.databaseUrl,
      env: context.env,
    });
  } catch (error) {
    // The saved records database's password is read from the keychain at the start.
    if (error instanceof SettingsError || error instanceof SecretStoreError) return reportFailure(context, error.appError);
    throw error;
  }
  try {
    return await task(runtime);
  } catch (error) {
    // The records database opens on first use: a bad address, a wrong password or a server that does not
    // answer is the user's to fix, said with its fix and exit 1, never a stack trace.
    if (error instanceof PostgresRecordsError) return reportFailure(context, error.appError);
    throw error;
  } finally {
    await runtime.stop();
  }
}
