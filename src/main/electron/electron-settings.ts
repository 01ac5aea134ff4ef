import ElectronStore from 'electron-store';
import type { StoredSettings } from '../settings/settings-schema';
import { createSettingsStore, settingsStoreOptions, settingsUnreadable, SettingsError, type SettingsStore } from '../settings/settings-store';

/** The settings store of the desktop app: electron-store, with the same schema and migrations as the CLI's conf. */
export function openElectronSettings(dataDir: string): SettingsStore {
  try {
    return createSettingsStore(new ElectronStore<StoredSettings>(settingsStoreOptions(dataDir)));
  } catch {
    throw new SettingsError(settingsUnreadable(`${dataDir}/settings.json`));
  }
}
