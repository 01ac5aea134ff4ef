import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../shared/errors';
import { dataDirEnvVar, defaultDataDir } from '../platform/data-dir';
import { createSystemOpener } from '../platform/system-opener';
import { startRuntime } from '../node-runtime';
import { openConfSettings, SettingsError } from '../settings/settings-store';
import { formatStatus } from './format-status';

const usage = `Usage: mail-settings <command> [options]

Commands:
  status            Show how mail is set up (Send Direct, keychain).

Options:
  --data-dir DIR    The data directory (settings, records, logs). Default: $${dataDirEnvVar},
                    else the folder the desktop app uses.
  --json            Print JSON instead of text.
  -h, --help        Show this help.
`;

/** Runs the CLI and resolves with its exit code. Output goes through the given writers (tests use them). */
export async function runCli(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help || command === undefined) {
    (values.help ? out : err)(usage);
    return values.help ? 0 : 2;
  }
  const json = values.json === true;
  const dataDir = values['data-dir'] ?? env[dataDirEnvVar] ?? defaultDataDir(env);

  const report = (error: AppError): number => {
    if (json) out(`${JSON.stringify({ ok: false, error })}\n`);
    else err(`${error.message}${error.fix ? `\n${error.fix}` : ''}\n`);
    return 1;
  };

  switch (command) {
    case 'status': {
      let runtime;
      try {
        runtime = await startRuntime({ dataDir, openSettings: openConfSettings, externalOpener: createSystemOpener(), accountCheckIntervalMs: 0 });
      } catch (error) {
        if (error instanceof SettingsError) return report(error.appError);
        throw error;
      }
      const result = await runtime.services.status.get();
      await runtime.services.logger.flush();
      if (!result.ok) return report(result.error);
      out(json ? `${JSON.stringify(result.value, null, 2)}\n` : formatStatus(result.value));
      return 0;
    }
    default:
      return report({ code: ErrorCode.InvalidInput, message: `Unknown command “${command}”. Run mail-settings --help.` });
  }
}
