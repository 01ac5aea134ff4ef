import type Conf from 'conf';
import type { StoredSettings } from './settings-schema';

type Migrations = Record<string, (store: Conf<StoredSettings>) => void>;

/**
 * Settings format migrations, by the format version they bring the file to. They run once, in order,
 * when an older file is opened.
 *
 * 2.0.0: format 1 stored Send Direct's security as a "Use SSL" checkbox (`ssl: boolean`); format 2 has
 * None / STARTTLS / SSL-TLS. A ticked box meant implicit TLS on 465 and STARTTLS elsewhere.
 */
export const settingsMigrations: Migrations = {
  '2.0.0': (store) => {
    const legacy = store.get('sendDirect') as (Record<string, unknown> & { ssl?: unknown }) | undefined;
    if (!legacy || !('ssl' in legacy)) return;
    const { ssl, ...rest } = legacy;
    const port = typeof rest['port'] === 'number' ? rest['port'] : 587;
    const security = ssl === true ? (port === 465 ? 'tls' : 'starttls') : 'none';
    store.set('sendDirect', { authMethod: 'password', ...rest, security } as NonNullable<StoredSettings['sendDirect']>);
  },
};
