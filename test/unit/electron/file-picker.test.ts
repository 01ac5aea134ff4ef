import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dialog, MockBrowserWindow, resetElectronMock } from './electron-mock';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock);

const { createElectronFilePicker } = await import('../../../src/main/electron/file-picker');

describe('"Attach files…" in the app: the system’s open-file dialog', () => {
  beforeEach(resetElectronMock);

  it('opens over the main window for files only (several, no folders), and answers the chosen paths', async () => {
    const window = new MockBrowserWindow({});
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/home/u/offer.pdf', '/home/u/notes.txt'] });
    expect(await createElectronFilePicker(() => window as never).chooseFiles()).toEqual(['/home/u/offer.pdf', '/home/u/notes.txt']);
    expect(dialog.showOpenDialog).toHaveBeenCalledWith(window, expect.objectContaining({ properties: ['openFile', 'multiSelections'] }));
  });

  it('answers nothing when the user cancels', async () => {
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: ['/ignored'] });
    expect(await createElectronFilePicker(() => null).chooseFiles()).toEqual([]);
  });
});
