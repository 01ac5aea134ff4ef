import { integrationIdOfAccount } from '../../shared/accounts';
import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/contract';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import { parseExternalHttpsUrl } from '../platform/external-link';
import type { AdminPolicy } from '../admin/admin-service';
import type { AppServices } from '../services';
import { checkIntegrationNow } from '../integration/check-integration-now';

/** One handler per contract channel; each receives an already-parsed request. */
export type HandlerTable = {
  readonly [C in Channel]: (request: ParsedRequestOf<C>) => Promise<Result<ResponseOf<C>>>;
};

/**
 * The handler table that Electron's IPC layer registers and the web UI calls: the same functions
 * in both, so the browser tests exercise exactly what the app runs.
 */
export function createHandlerTable(services: AppServices): HandlerTable {
  /**
   * Administrators only (issue 14): runs `action` inside an admin session of this process, else answers
   * ADMIN_REQUIRED (also while no administrator exists) or ADMIN_STORE_MISSING. Decided here, in main:
   * nothing the renderer sends counts as proof.
   */
  const adminOnly = async <T>(name: Channel, action: () => Promise<Result<T>>, policy: AdminPolicy = 'refuseWithoutAdministrators'): Promise<Result<T>> => {
    const session = await services.admin.authorize(policy, name);
    return session.ok ? action() : session;
  };
  return {
    getAppStatus: () => services.status.get(),
    getSendDirect: () => services.sendDirect.get(),
    saveSendDirect: ({ settings, password }) => services.sendDirect.save(settings, password),
    testSendDirect: ({ settings, password }) => services.smtp.testConnection('send', settings, password),
    chooseAttachments: () => services.attachments.choose(),
    sendTestEmail: async (email) => {
      const attachments = services.attachments.resolve(email.attachments);
      if (!attachments.ok) return attachments;
      return services.sendDirectMailer.send({ ...email, attachments: attachments.value });
    },
    trustCertificate: ({ settings, fingerprint256 }) => services.smtp.trustCertificate('send', settings, fingerprint256),
    getAccountState: ({ mailbox }) => services.accounts.state(mailbox),
    signIn: ({ mailbox, provider, via }) => {
      // An added mailbox's sign-in is part of its credential: administrators' business, as its Details are.
      const integrationId = integrationIdOfAccount(mailbox);
      return integrationId === null ? services.accounts.signIn(mailbox, provider, via) : adminOnly('signIn', () => services.integration.signIn(integrationId, provider, via));
    },
    cancelSignIn: async ({ mailbox }) => ok(services.accounts.cancelSignIn(mailbox)),
    continueSignInInBrowser: ({ mailbox }) => services.accounts.continueInBrowser(mailbox),
    checkAccount: ({ mailbox }) => services.accounts.check(mailbox),
    // An inbox's sign-in is part of its settings (admin-only); Send Direct's belongs to whoever sends.
    resetAccount: ({ mailbox }) => {
      const integrationId = integrationIdOfAccount(mailbox);
      if (integrationId !== null) return adminOnly('resetAccount', () => services.integration.signOut(integrationId));
      return mailbox === 'lead' || mailbox === 'serviceDesk' ? adminOnly('resetAccount', () => services.accounts.reset(mailbox)) : services.accounts.reset(mailbox);
    },
    getInbox: ({ inbox }) => services.inbox.get(inbox),
    saveInbox: ({ inbox, settings, password }) => adminOnly('saveInbox', () => services.inbox.save(inbox, settings, password)),
    testInbox: ({ inbox, settings, password }) => services.inbox.testConnection(inbox, settings, password),
    trustInboxCertificate: ({ inbox, settings, fingerprint256 }) => services.inbox.trustCertificate(inbox, settings, fingerprint256),
    checkInboxNow: ({ inbox }) => services.inbox.checkNow(inbox),
    resetInboxCounter: ({ inbox }) => adminOnly('resetInboxCounter', () => services.inbox.resetCounter(inbox)),
    inboxFirstConnection: ({ inbox }) => services.inbox.firstConnection(inbox),
    importInboxFromNow: ({ inbox }) => services.inbox.importFromNow(inbox),
    listActivityTypes: () => services.activityTypes.list(),
    addActivityType: ({ name }) => adminOnly('addActivityType', () => services.activityTypes.add(name)),
    renameActivityType: ({ id, name }) => adminOnly('renameActivityType', () => services.activityTypes.rename(id, name)),
    retireActivityType: ({ id }) => adminOnly('retireActivityType', () => services.activityTypes.retire(id)),
    listInboxRecords: ({ inbox, limit }) => services.inbox.listRecords(inbox, limit),
    getInboxRecord: ({ id }) => services.inbox.getRecord(id),
    listInboxQuarantine: ({ inbox }) => services.inbox.listQuarantine(inbox),
    getAdminStatus: () => services.admin.status(),
    createFirstAdmin: ({ email, password }) => services.admin.createFirst(email, password),
    confirmTwoFactor: ({ email, code }) => services.admin.confirmTwoFactor(email, code),
    adminSignInPassword: ({ email, password }) => services.admin.signInPassword(email, password),
    adminSignInCode: ({ email, code }) => services.admin.signInCode(email, code),
    adminSignOut: () => services.admin.signOut(),
    noteAdminActivity: () => services.admin.noteActivity(),
    listReauthNotices: () => services.reauth.list(),
    reauthenticate: ({ mailbox }) => adminOnly('reauthenticate', () => services.reauth.reauthenticate(mailbox)),
    // System Admin › Email Integration: reading and testing with the form's values are open; changes are administrators'.
    listIntegrations: () => services.integration.list(),
    getIntegration: ({ id }) => services.integration.get(id),
    addIntegration: ({ settings, password }) => adminOnly('addIntegration', () => services.integration.add(settings, password)),
    updateIntegration: ({ id, settings }) => adminOnly('updateIntegration', () => services.integration.update(id, settings)),
    deleteIntegration: ({ id }) => adminOnly('deleteIntegration', () => services.integration.delete(id)),
    changeIntegrationPassword: ({ id, newPassword, confirmPassword }) =>
      adminOnly('changeIntegrationPassword', () => services.integration.changePassword(id, newPassword, confirmPassword)),
    testIntegration: ({ id, settings, password }) => services.integration.test(id, settings, password),
    // Open to everyone, as the inboxes' Check now is: it fetches mail, it changes no setting.
    checkIntegrationNow: ({ id }) => checkIntegrationNow(services, id),
    listAliases: ({ credentialId }) => services.integration.listAliases(credentialId),
    addAlias: (alias) => adminOnly('addAlias', () => services.integration.addAlias(alias)),
    deleteAlias: ({ id }) => adminOnly('deleteAlias', () => services.integration.deleteAlias(id)),
    // Where the whole team's records go: administrators' business, reading included (the address names the database server).
    getRecordsDatabase: () => adminOnly('getRecordsDatabase', () => services.recordsDatabase.get()),
    testRecordsDatabase: ({ form }) => adminOnly('testRecordsDatabase', () => services.recordsDatabase.test(form)),
    saveRecordsDatabase: ({ form }) => adminOnly('saveRecordsDatabase', () => services.recordsDatabase.save(form)),
    openExternalLink: async ({ url }) => {
      const parsed = parseExternalHttpsUrl(url);
      if (!parsed) {
        return fail({
          code: ErrorCode.InvalidInput,
          message: 'Only secure web links (https://) can be opened from Mail Settings.',
        });
      }
      await services.externalOpener.open(parsed);
      return ok(undefined);
    },
  };
}
