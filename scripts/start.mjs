// `npm start`: builds Mail Settings, then opens it as the desktop app (Electron) where Electron can run,
// and otherwise the same app in the web browser (`mail-settings ui`). `npm start -- --browser` asks for the
// browser directly; --port P and --no-open (and the CLI's shared options, such as --data-dir) go to `ui`.
// The desktop app can't run without a graphical display, nor without Electron's binary, which is fetched
// on first use: a download that fails or hangs gives up within 30 s (MAIL_SETTINGS_ELECTRON_DOWNLOAD_SECONDS
// sets another limit) and the browser is used instead.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDownloadLimitSeconds, ensureElectron } from './start/electron-binary.mjs';
import { missingDisplay } from './start/graphical-display.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronVite = join(dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const cli = fileURLToPath(new URL('../bin/mail-settings.js', import.meta.url));

const args = process.argv.slice(2);
const browserAsked = args.includes('--browser');
const uiArgs = args.filter((arg) => arg !== '--browser');

/**
 * Runs a Node program of the project in the foreground and resolves with its exit code. Ctrl-C reaches it
 * from the terminal as it reaches this script, which waits for it to stop; a SIGTERM sent to this script
 * alone (npm passes one on) is passed on.
 */
function runNode(script, scriptArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...scriptArgs], { cwd: root, env, stdio: 'inherit' });
    const ignoreInterrupt = () => undefined;
    const passOnTerminate = () => child.kill('SIGTERM');
    process.on('SIGINT', ignoreInterrupt);
    process.on('SIGTERM', passOnTerminate);
    child.once('error', (error) => {
      process.stderr.write(`${error.message}\n`);
      resolve(1);
    });
    child.once('close', (code, signal) => {
      process.off('SIGINT', ignoreInterrupt);
      process.off('SIGTERM', passOnTerminate);
      // Killed by a signal: the shell's convention, 128 + its number (130 for Ctrl-C), so nothing runs after it.
      resolve(code ?? 128 + (constants.signals[signal] ?? 0));
    });
  });
}

function downloadLimitSeconds() {
  const asked = Number(process.env.MAIL_SETTINGS_ELECTRON_DOWNLOAD_SECONDS);
  return Number.isFinite(asked) && asked > 0 ? asked : defaultDownloadLimitSeconds;
}

/** `{ executable }` when the desktop app can open here; `{ reason }`, in words for a sentence, when not. */
async function desktopApp() {
  const noDisplay = missingDisplay(process.env);
  if (noDisplay) return { reason: noDisplay };
  const limit = downloadLimitSeconds();
  const electron = await ensureElectron({
    env: process.env,
    limitSeconds: limit,
    onFetching: () => process.stdout.write(`Downloading Electron for the desktop app (at most ${limit} s)…\n`),
  });
  return electron.executable ? electron : { reason: `Electron could not be downloaded (${electron.reason})` };
}

process.stdout.write('Building Mail Settings…\n');
const built = await runNode(electronVite, ['build', '--logLevel', 'warn']);
if (built !== 0) process.exit(built);

if (!browserAsked) {
  const desktop = await desktopApp();
  if (desktop.executable) {
    // electron-vite finds Electron through path.txt alone; the path found here (ELECTRON_OVERRIDE_DIST_PATH
    // included) is the one it must start.
    process.exit(await runNode(electronVite, ['preview', '--skipBuild'], { ...process.env, ELECTRON_EXEC_PATH: desktop.executable }));
  }
  process.stdout.write(`The desktop app can’t open here: ${desktop.reason}, so Mail Settings opens in your web browser instead.\n`);
}
process.exit(await runNode(cli, ['ui', ...uiArgs]));
