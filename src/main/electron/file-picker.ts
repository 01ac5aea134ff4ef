import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { FilePicker } from '../files/file-picker';

/** "Attach files…": the system's open-file dialog, over the main window; several files, no folders. */
export function createElectronFilePicker(parent: () => BrowserWindow | null): FilePicker {
  return {
    chooseFiles: async () => {
      const options: OpenDialogOptions = { title: 'Attach files', buttonLabel: 'Attach', properties: ['openFile', 'multiSelections'] };
      const owner = parent();
      const chosen = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
      return chosen.canceled ? [] : chosen.filePaths;
    },
  };
}
