import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channels, ipcChannelOf, type MailSettingsApi } from '../../../src/shared/contract';
import { contextBridge, ipcRenderer, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

describe('the preload', () => {
  let api: MailSettingsApi;
  beforeAll(async () => {
    resetElectronMock();
    await import('../../../src/preload/index');
    const [name, exposed] = contextBridge.exposeInMainWorld.mock.calls[0] as [string, MailSettingsApi];
    expect(name).toBe('mailSettings');
    api = exposed;
  });

  it('exposes one method per contract channel and an event subscription, nothing else', () => {
    expect(Object.keys(api).sort()).toEqual([...channels, 'on'].sort());
  });

  it('sends each call on its own channel', async () => {
    await api.getSendDirect({});
    expect(ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannelOf('getSendDirect'), {});
  });

  it('delivers events to subscribers until they unsubscribe, and refuses unknown events', () => {
    const received: unknown[] = [];
    const unsubscribe = api.on('sendDirectChanged', (payload) => received.push(payload));
    ipcRenderer.emit(ipcChannelOf('sendDirectChanged'), {}, { passwordStored: true, settings: null });
    unsubscribe();
    ipcRenderer.emit(ipcChannelOf('sendDirectChanged'), {}, { passwordStored: false, settings: null });
    expect(received).toEqual([{ passwordStored: true, settings: null }]);
    expect(() => api.on('noSuchEvent' as never, () => undefined)).toThrow(/Unknown event/);
  });
});
