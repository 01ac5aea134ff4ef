import type { Runtime } from '../node-runtime';
import { startWebUi, type WebUi } from './web-ui-server';

export interface WebUiForRuntimeOptions {
  /** The built renderer folder (locateBuiltRenderer finds it). */
  readonly rendererDir: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
}

/**
 * The browser window of a running runtime (`mail-settings ui`, or a server that also offers the window):
 * the runtime's dispatcher, its events, and its "Attach files…" checks for uploaded files. Start the runtime
 * without a popup opener: in the browser, sign-ins go through the system browser and the loopback redirect.
 */
export function startWebUiFor(runtime: Runtime, options: WebUiForRuntimeOptions): Promise<WebUi> {
  return startWebUi({
    rendererDir: options.rendererDir,
    dispatch: runtime.dispatch,
    subscribe: (listener) => runtime.services.events.subscribe(listener),
    adoptAttachments: (paths) => runtime.services.attachments.adopt(paths),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
}
