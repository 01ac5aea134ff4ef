import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { openLocalPage } from '../../platform/system-opener';
import { writeLaunchPage, type LaunchPage } from '../../web/launch-page';
import { locateBuiltRenderer } from '../../web/renderer-location';
import { startWebUiFor } from '../../web/web-ui-for-runtime';
import type { WebUi } from '../../web/web-ui-server';
import { defaultAccountCheckIntervalMs, type Runtime } from '../../node-runtime';
import { listenForStopSignals, type StopSignals } from '../../service/stop-signals';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings ui [--port P] [--no-open] [--json]`: the Mail Settings window in the system browser, served
 * on 127.0.0.1 for as long as the command runs (until Ctrl-C or SIGTERM). The address holds a secret of this
 * launch; it is printed (`--json`: `{"url":"…"}` on one line) and, unless --no-open, opened in the browser.
 */
export async function uiCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { port: { type: 'string' }, 'no-open': { type: 'boolean', default: false } },
  });
  const port = values.port === undefined ? 0 : portOf(values.port);
  if (port === null) return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'The port must be a whole number from 1 to 65535.' });
  const rendererDir = await locateBuiltRenderer();
  if (rendererDir === null) {
    return reportFailure(context, {
      code: ErrorCode.Internal,
      message: 'The Mail Settings window is missing from this installation.',
      fix: 'Reinstall Mail Settings (from the sources: npm run build).',
    });
  }
  // Listening from the start, as `serve` does: a Ctrl-C while the services load is not lost, and the
  // settings library's own signal hook (which re-sends the signal) cannot cut the close short.
  const signals = listenForStopSignals(process, (code) => process.exit(code));
  try {
    // The window in the browser is the app: while it is served, the inboxes are checked on their schedule
    // (and on IDLE), and the sign-ins checked, as in the desktop app.
    return await withRuntime(
      context,
      (runtime) => {
        signals.ownAlone();
        return serveUntilStopped(context, runtime, { rendererDir, port, open: !values['no-open'] }, signals);
      },
      { scheduleInboxes: true, accountCheckIntervalMs: defaultAccountCheckIntervalMs, adminSessions: 'memory' },
    );
  } finally {
    signals.dispose();
  }
}

async function serveUntilStopped(
  context: CliContext,
  runtime: Runtime,
  options: { readonly rendererDir: string; readonly port: number; readonly open: boolean },
  signals: StopSignals,
): Promise<number> {
  const { rendererDir, port } = options;
  let ui: WebUi;
  try {
    ui = await startWebUiFor(runtime, { rendererDir, port });
  } catch (error) {
    const refused = listenFailure(error, port);
    if (refused) return reportFailure(context, refused);
    throw error;
  }
  try {
    if (context.json) printJson(context, { url: ui.url });
    else context.out(`Mail Settings is at ${ui.url}\nPress Ctrl-C to stop it.\n`);
    const launchPage = options.open ? await openInBrowser(ui.url).catch(() => null) : null;
    if (options.open && launchPage === null) context.err('Your browser could not be opened: open the address above in it.\n');
    await signals.first;
    await launchPage?.remove();
    return 0;
  } finally {
    await ui.close();
  }
}

/** The browser is started with a private page that leads to the address, never with the address itself. */
async function openInBrowser(address: string): Promise<LaunchPage> {
  const page = await writeLaunchPage(address);
  try {
    await openLocalPage(page.fileUrl);
    return page;
  } catch (error) {
    await page.remove();
    throw error;
  }
}

function portOf(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** Why the port could not be listened on, in the user's words; null for anything else. */
function listenFailure(error: unknown, port: number): AppError | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') {
    return { code: ErrorCode.InvalidInput, message: `Port ${port} is already in use on this computer.`, fix: 'Choose another port with --port, or leave --port out to use a free one.' };
  }
  if (code === 'EACCES') {
    return { code: ErrorCode.InvalidInput, message: `Mail Settings may not use port ${port}.`, fix: 'Choose a port above 1023 with --port, or leave --port out to use a free one.' };
  }
  return null;
}
