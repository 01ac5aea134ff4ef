import { contextBridge, ipcRenderer } from 'electron';
import { channels, eventNames, ipcChannelOf, type EventName, type MailSettingsApi } from '../shared/contract';

/**
 * One method per contract channel, derived from the contract, and one subscription per event: nothing
 * generic (no raw send/invoke) reaches the page.
 */
const invokers = Object.fromEntries(
  channels.map((channel) => [channel, (request: unknown) => ipcRenderer.invoke(ipcChannelOf(channel), request)]),
);

const api = {
  ...invokers,
  on: (event: EventName, listener: (payload: unknown) => void) => {
    if (!eventNames.includes(event)) throw new Error(`Unknown event ${String(event)}`);
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(ipcChannelOf(event), wrapped);
    return () => {
      ipcRenderer.removeListener(ipcChannelOf(event), wrapped);
    };
  },
} as unknown as MailSettingsApi;

contextBridge.exposeInMainWorld('mailSettings', api);
