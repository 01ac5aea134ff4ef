import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keychainServiceFor } from '../../src/main/secrets/keychain-service';
import { createKeytarSecretStore } from '../../src/main/secrets/keytar-secret-store';
import type { IntegrationCredentialView, IntegrationSettings } from '../../src/shared/integration';
import { eventsOf, synced, useTeam, type TeamInstallation } from '../support/team-installations';
import { testbed } from '../testbed/client';

/**
 * Team mode (issue 16), System Admin › Email Integration: two installations on one shared PostgreSQL
 * records database change the same credentials and aliases. A change made on a list another installation
 * had changed meanwhile is refused: the administrator who made it is told why and what to do, and both
 * installations keep the other's list.
 */

const team = useTeam();
const installation = (name: string) => team.installation(name);

function mailboxSettings(name: string, patch: Partial<IntegrationSettings> = {}): IntegrationSettings {
  return {
    mailbox: `${name}-${randomUUID().slice(0, 8)}@example.test`,
    host: testbed().host,
    port: testbed().dovecot.ports.imaps,
    secure: true,
    configurationName: `${name} mailbox`,
    description: `The ${name} team’s mailbox`,
    authMethod: 'password',
    ...patch,
  };
}

async function addedMailboxes(installed: TeamInstallation): Promise<IntegrationCredentialView[]> {
  const rows = await installed.runtime.services.integration.list();
  if (!rows.ok) throw new Error(rows.error.message);
  return rows.value.filter((row) => row.kind === 'integration');
}

const refusedForTheOthersChange = {
  ok: false,
  error: {
    code: 'SHARED_SETTINGS_CHANGED',
    message: 'Another installation changed these settings; reopen to see them.',
    fix: 'Close this dialog and open it again: it shows the settings as the other installation saved them. Make your change again if it is still needed.',
  },
};

/** Installations A and B, both having seen the sales mailbox A added. */
async function salesMailboxOnTwoInstallations(): Promise<{ a: TeamInstallation; b: TeamInstallation; sales: IntegrationSettings; id: string }> {
  const a = await installation('a');
  const b = await installation('b');
  const sales = mailboxSettings('sales');
  const added = await a.runtime.services.integration.add(sales, 'sales-password');
  if (!added.ok) throw new Error(added.error.message);
  await synced(a, b);
  return { a, b, sales, id: added.value.id };
}

describe('Email Integration changed on two installations at once', () => {
  it('refuses the Details saved on a stale list, keeps the other installation’s, and tells both windows the list as it is', async () => {
    const { a, b, sales, id } = await salesMailboxOnTwoInstallations();

    // A changes the description; B, which has not seen it yet, renames the mailbox.
    const first = await a.runtime.services.integration.update(id, { ...sales, description: 'Sales leads from the web forms' });
    expect(first).toMatchObject({ ok: true, value: { id, settings: { description: 'Sales leads from the web forms' } } });
    await synced(a);
    const second = await b.runtime.services.integration.update(id, { ...sales, configurationName: 'Web sales' });
    expect(second).toEqual(refusedForTheOthersChange);

    // B now has A's version, in its settings and in its windows (the dashboard's integrationsChanged).
    const asA = expect.objectContaining({ id, configurationName: 'sales mailbox', settings: expect.objectContaining({ description: 'Sales leads from the web forms' }) });
    expect(await addedMailboxes(b)).toEqual([asA]);
    expect(eventsOf(b, 'integrationsChanged').at(-1)?.filter((row) => row.kind === 'integration')).toEqual([asA]);
    await synced(a);
    expect(await addedMailboxes(a)).toEqual([asA]);
  });

  it('refuses a delete made on a stale list: the mailbox comes back, and keeps its password on that installation', async () => {
    const { a, b, sales, id } = await salesMailboxOnTwoInstallations();
    // Passwords stay with each installation: B enters its own.
    expect(await b.runtime.services.integration.changePassword(id, 'password-on-b', 'password-on-b')).toMatchObject({ ok: true });

    // A changes the description; B, which has not seen it yet, deletes the mailbox.
    expect(await a.runtime.services.integration.update(id, { ...sales, description: 'Sales leads from the web forms' })).toMatchObject({ ok: true });
    await synced(a);
    expect(await b.runtime.services.integration.delete(id)).toEqual(refusedForTheOthersChange);
    expect((await addedMailboxes(b)).map((row) => ({ id: row.id, hasPassword: row.hasPassword }))).toEqual([{ id, hasPassword: true }]);
    expect(await createKeytarSecretStore(keychainServiceFor(b.dataDir)).get(`integration/${id}/password`)).toBe('password-on-b');

    // Deleted on a list that is up to date, it goes, with its password.
    expect(await b.runtime.services.integration.delete(id)).toMatchObject({ ok: true });
    expect(await addedMailboxes(b)).toEqual([]);
    expect(await createKeytarSecretStore(keychainServiceFor(b.dataDir)).get(`integration/${id}/password`)).toBeNull();
  });

  it('refuses an alias and a mailbox added on a stale list, and keeps no password for the mailbox that was not added', async () => {
    const a = await installation('a');
    const b = await installation('b');
    const added = await a.runtime.services.integration.add(mailboxSettings('sales'), 'sales-password');
    if (!added.ok) throw new Error(added.error.message);
    const credentialId = added.value.id;
    await synced(a, b);

    const web = { address: `web-${randomUUID().slice(0, 8)}@example.test`, credentialId, target: { kind: 'serviceDesk', queue: 'Support' } } as const;
    expect(await a.runtime.services.integration.addAlias(web)).toMatchObject({ ok: true });
    await synced(a);
    const shop = { ...web, address: `shop-${randomUUID().slice(0, 8)}@example.test` };
    expect(await b.runtime.services.integration.addAlias(shop)).toEqual(refusedForTheOthersChange);
    const aliasesOfB = await b.runtime.services.integration.listAliases(credentialId);
    expect(aliasesOfB.ok && aliasesOfB.value.map((alias) => alias.address).sort()).toEqual([added.value.mailbox, web.address].sort());

    // B is up to date again after the refusal; A changes the list once more before B adds a mailbox.
    const aliasesOfA = await a.runtime.services.integration.listAliases(credentialId);
    const webAlias = aliasesOfA.ok ? aliasesOfA.value.find((alias) => alias.address === web.address) : undefined;
    expect(await a.runtime.services.integration.deleteAlias(webAlias?.id ?? '')).toMatchObject({ ok: true });
    await synced(a);
    const keychainOfB = createKeytarSecretStore(keychainServiceFor(b.dataDir));
    const keptBefore = (await keychainOfB.accounts()).sort();
    expect(await b.runtime.services.integration.add(mailboxSettings('support'), 'support-password')).toEqual(refusedForTheOthersChange);
    expect((await addedMailboxes(b)).map((row) => row.configurationName)).toEqual(['sales mailbox']);
    expect((await keychainOfB.accounts()).sort()).toEqual(keptBefore);
  });
});
