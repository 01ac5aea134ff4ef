import type Conf from 'conf';
import type { StoredSettings } from './settings-schema';

type Migrations = Record<string, (store: Conf<StoredSettings>) => void>;

/**
 * Settings format migrations, by the format version they bring the file to. They run once, in order,
 * when an older file is opened.
 *
 * 2.0.0: format 1 stored Send Direct's security as a "Use SSL" checkbox (`ssl: boolean`); format 2 has
 * None / STARTTLS / SSL-TLS. A ticked box meant implicit TLS on 465 and STARTTLS elsewhere.
 *
 * 3.0.0: a password or token is sent without encryption only when the user said so ("Allow sending my
 * password without encryption"). Send Direct on None was never such a yes: 2.0.0 turned an unticked
 * "Use SSL" box into None, and no form before 3.0.0 asked. Two ways out were possible: None with the
 * allowance set (it keeps sending the password in clear text, now visibly), or STARTTLS with a notice.
 * We take STARTTLS: the password stops crossing the network in clear text at once, and the rare server
 * that offers no STARTTLS fails Test Connection with a message that says what to choose, so plain text
 * stays a choice the user makes knowingly instead of one made for them.
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
  '3.0.0': (store) => {
    const sendDirect = store.get('sendDirect');
    if (!sendDirect || sendDirect.security !== 'none' || sendDirect.allowInsecureAuth === true) return;
    store.set('sendDirect', { ...sendDirect, security: 'starttls', allowInsecureAuth: false });
    store.set('notices', { ...store.get('notices'), sendDirectEncryptionTurnedOn: true });
  },
};
