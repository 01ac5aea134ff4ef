import { shell } from 'electron';
import { browserUrlOf, type ExternalOpener } from '../platform/external-link';

/** The one way the app opens a link in the user's browser: the same check as the CLI's opener, right here. */
export function createElectronOpener(): ExternalOpener {
  return {
    open: async (url) => {
      const href = browserUrlOf(url.href);
      if (href === null) throw new Error('Refused to open a link that is not https (or http on this computer).');
      await shell.openExternal(href);
    },
  };
}
