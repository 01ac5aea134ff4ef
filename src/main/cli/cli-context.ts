import type { AppError } from '../../shared/errors';
import type { SecretRegistry } from '../log/redact';
import { redactAppError } from '../log/redact-value';
import { startRuntime, type Runtime } from '../node-runtime';
import { createSystemOpener } from '../platform/system-opener';
import { openConfSettings, SettingsError } from '../settings/settings-store';

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

/** Starts the services on the data directory, runs `task`, stops them. A damaged settings file is reported. */
export async function withRuntime(context: CliContext, task: (runtime: Runtime) => Promise<number>): Promise<number> {
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      dataDir: context.dataDir,
      openSettings: openConfSettings,
      externalOpener: createSystemOpener(),
      accountCheckIntervalMs: 0,
      secretRegistry: context.secrets,
    });
  } catch (error) {
    if (error instanceof SettingsError) return reportFailure(context, error.appError);
    throw error;
  }
  try {
    return await task(runtime);
  } finally {
    await runtime.stop();
  }
}
