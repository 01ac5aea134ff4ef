import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keychainServiceFor } from '../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../src/main/secrets/keytar-secret-store';
import { createTestDatabase } from '../test/support/postgres-database';
import { webFormMessages } from '../test/support/inbox-messages';
import { addUser, testbed, writeToMaildir } from '../test/testbed/client';
import { RecordsDatabaseDialog } from './harness/records-database';
import { publishScreenshot } from './harness/screenshots';
import { useMailSettingsWindows } from './harness/windows';

/**
 * The "Records database" dialog (issue 16) in Chromium through the real services, against the test bed's
 * PostgreSQL: an administrator chooses the shared database; a wrong password is refused with PostgreSQL's
 * mapped message, the right one is tried and saved (the address in the settings file, the password in the
 * keychain), and the records database changes when the app restarts.
 */

const windows = useMailSettingsWindows();

describe('Records database: an administrator moves the records to a shared PostgreSQL database', () => {
  it('refuses a wrong password with the mapped message, saves the right one for the next start, and uses it after a restart', async () => {
    const database = await createTestDatabase();
    const session = await windows.open('records-database');
    const keychain = createKeytarSecretStore(keychainServiceFor(session.dataDir));
    try {
      const url = new URL(database.url);
      const password = decodeURIComponent(url.password);
      url.password = '';
      const dialog = new RecordsDatabaseDialog(session.app);

      await dialog.open();
      expect(await dialog.inUse()).toBe(`In use now: This computer (built-in), ${join(session.dataDir, 'records.sqlite')}.`);
      await dialog.choose('Shared PostgreSQL database');
      expect(await dialog.passwordInputType()).toBe('password');
      await dialog.fill({ url: url.href, password: 'not-the-password' });
      const refused = await dialog.test();
      expect(refused).toEqual({
        ok: false,
        message: `PostgreSQL refused the user name or password in the database address ${url.href.replace('@', ':***@')}.`,
        fix: expect.stringContaining('Correct the user name and password'),
      });
      await dialog.screenshot('wrong-password');
      expect(await keychain.get('database/password')).toBeNull();

      await dialog.fill({ password });
      expect(await dialog.test()).toEqual({ ok: true, message: `Mail Settings connected to ${url.href.replace('@', ':***@')} and can keep the records there.` });
      const saved = await dialog.save();
      expect(saved).toEqual({ ok: true, message: `Saved: the records will be kept in the shared database ${url.href}. It takes effect when Mail Settings restarts.` });
      await dialog.screenshot('saved');
      await publishScreenshot(session.app.screenshots.at(-1) ?? '', 'records-database.png');
      // The password is in the keychain, the settings file has the address without it; the page keeps none of it.
      expect(await dialog.passwordHint()).toBe('A password is stored in your system keychain: leave this empty to keep it.');
      expect(await session.app.allInputValues()).not.toContain(password);
      expect(await keychain.get('database/password')).toBe(password);
      const settingsFile = await readFile(join(session.dataDir, 'settings.json'), 'utf8');
      expect(JSON.parse(settingsFile)).toMatchObject({ recordsDatabase: { url: url.href } });
      expect(settingsFile).not.toContain(password);
      await dialog.close();

      await session.restartApp();
      await session.app.sendDirect.waitForLoaded();
      await dialog.open();
      expect(await dialog.inUse()).toBe(`In use now: Shared PostgreSQL database, ${url.href.replace('@', ':***@')}.`);
      await dialog.close();

      // Team mode now: the Lead Inbox's dialog says which installation empties its mailbox (this one, after its run).
      const user = await addUser(`team-${randomUUID().slice(0, 8)}@example.test`);
      await writeToMaildir(user.email, webFormMessages(1, randomUUID()).map((m) => m.raw));
      const leadSettings = {
        serverName: testbed().host, port: testbed().dovecot.ports.imaps, security: 'tls', userName: user.email,
        authMethod: 'password', allowInsecureAuth: false, recordType: 'Web Lead',
      } as const;
      expect(await session.host.services.inbox.save('lead', leadSettings, { kind: 'set', value: user.password })).toMatchObject({ ok: true });
      expect(await session.host.services.inbox.checkNow('lead')).toMatchObject({ ok: true, value: { retrieved: 1 } });
      await session.app.leadInbox.openSettings();
      expect(await session.app.leadInbox.retrievedBy()).toBe(`Retrieved by ${hostname()} (${basename(session.dataDir)}) — this computer`);
    } finally {
      await keychain.delete('database/password');
      await keychain.delete('mailbox/lead/password');
      await session.host.stop();
      await database.drop();
    }
  });
});
