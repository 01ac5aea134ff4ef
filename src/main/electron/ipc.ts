import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channels, ipcChannelOf } from '../../shared/contract';
import { ErrorCode, fail } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Dispatch } from '../ipc/dispatch';

/**
 * The only place that touches ipcMain. Every contract channel is registered through the same wrapper,
 * which checks the sender (one of our windows, its main frame, on our page) before the dispatcher parses
 * the payload. A refused or malformed call answers with a Result; nothing throws across IPC.
 */
export function registerIpcHandlers(dispatch: Dispatch, isAppUrl: (url: string) => boolean): () => void {
  for (const channel of channels) {
    ipcMain.handle(ipcChannelOf(channel), async (event, payload: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) {
        return fail({ code: ErrorCode.ForbiddenSender, message: 'This request did not come from the Mail Settings window.' });
      }
      return dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(ipcChannelOf(channel));
  };
}

export function isTrustedSender(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!BrowserWindow.fromWebContents(event.sender)) return false;
  return isAppUrl(frame.url);
}

/** Forwards service events to every window of the app. */
export function forwardEventsToWindows(events: EventBus): () => void {
  return events.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(ipcChannelOf(event), payload);
    }
  });
}
