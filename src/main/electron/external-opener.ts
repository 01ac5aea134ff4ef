import { shell } from 'electron';
import { parseExternalHttpsUrl, type ExternalOpener } from '../platform/external-link';

/** The one way the app opens a link in the user's browser: https only, checked again right here. */
export function createElectronOpener(): ExternalOpener {
  return {
    open: async (url) => {
      const checked = parseExternalHttpsUrl(url.href);
      if (!checked) throw new Error('Refused to open a link that is not https.');
      await shell.openExternal(checked.href);
    },
  };
}
