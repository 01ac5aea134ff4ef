import type Conf from 'conf';
import type { SendDirectSettings } from '../../shared/send-direct';
import type { StoredSettings } from './settings-schema';

type Migrations = Record<string, (store: Conf<StoredSettings>) => void>;

/** The keys of formats 1 to 3, which kept Send Direct at the top level and named its notice after it. */
interface OlderFormats {
  sendDirect?: Partial<SendDirectSettings> & Record<string, unknown>;
  notices?: { sendDirectEncryptionTurnedOn?: boolean };
}

function olderFormat(store: Conf<StoredSettings>): Conf<OlderFormats> {
  return store as unknown as Conf<OlderFormats>;
}

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
 *
 * 4.0.0: mailboxes are kept by id (`mailboxes.send`, and the inboxes after it), so Send Direct's settings
 * move from `sendDirect` to `mailboxes.send`, unchanged; the 3.0.0 notice becomes a list of the mailboxes
 * it concerns (`notices.encryptionTurnedOn: ["send"]`), still shown until the user saves.
 *
 * 4.1.0: `administratorsExist` may be set (issue 14). Nothing to move. A 4.0.0 app refuses a file that has
 * it (its schema allows no unknown key), which keeps a downgrade from running admin-only actions unguarded.
 *
 * 4.2.0: `integrations` may be set (issue 15: Email Integration credentials and aliases). Nothing to move.
 * A 4.1.0 app refuses a file that has it, rather than dropping the credentials on its next save.
 *
 * 4.3.0: `accounts` may hold `integration:<id>` sign-ins (Email Integration mailboxes on Modern
 * Authentication). Nothing to move; a 4.2.0 app refuses a file that has one.
 *
 * 4.4.0: `recordsDatabase` may be set (issue 16: a shared PostgreSQL records database, its address without
 * the password). Nothing to move. A 4.3.0 app refuses a file that has it, rather than quietly keeping its
 * records in the built-in database while the team's go to the shared one.
 */
export const settingsMigrations: Migrations = {
  '2.0.0': (current) => {
    const store = olderFormat(current);
    const legacy = store.get('sendDirect');
    if (!legacy || !('ssl' in legacy)) return;
    const { ssl, ...rest } = legacy;
    const port = typeof rest['port'] === 'number' ? rest['port'] : 587;
    const security = ssl === true ? (port === 465 ? 'tls' : 'starttls') : 'none';
    store.set('sendDirect', { authMethod: 'password', ...rest, security });
  },
  '3.0.0': (current) => {
    const store = olderFormat(current);
    const sendDirect = store.get('sendDirect');
    if (!sendDirect || sendDirect.security !== 'none' || sendDirect.allowInsecureAuth === true) return;
    store.set('sendDirect', { ...sendDirect, security: 'starttls', allowInsecureAuth: false });
    store.set('notices', { ...store.get('notices'), sendDirectEncryptionTurnedOn: true });
  },
  '4.0.0': (current) => {
    const store = olderFormat(current);
    const sendDirect = store.get('sendDirect');
    if (sendDirect !== undefined) {
      current.set('mailboxes', { ...current.get('mailboxes'), send: sendDirect as SendDirectSettings });
      store.delete('sendDirect');
    }
    const notices = store.get('notices');
    if (notices === undefined) return;
    if (notices.sendDirectEncryptionTurnedOn === true) current.set('notices', { encryptionTurnedOn: ['send'] });
    else store.delete('notices');
  },
};
