import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/contract';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import { parseExternalHttpsUrl } from '../platform/external-link';
import type { AppServices } from '../services';

/** One handler per contract channel; each receives an already-parsed request. */
export type HandlerTable = {
  readonly [C in Channel]: (request: ParsedRequestOf<C>) => Promise<Result<ResponseOf<C>>>;
};

/**
 * The handler table that Electron's IPC layer registers and the web UI calls: the same functions
 * in both, so the browser tests exercise exactly what the app runs.
 */
export function createHandlerTable(services: AppServices): HandlerTable {
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
    signIn: ({ mailbox, provider, via }) => services.accounts.signIn(mailbox, provider, via),
    cancelSignIn: async ({ mailbox }) => ok(services.accounts.cancelSignIn(mailbox)),
    continueSignInInBrowser: ({ mailbox }) => services.accounts.continueInBrowser(mailbox),
    checkAccount: ({ mailbox }) => services.accounts.check(mailbox),
    resetAccount: ({ mailbox }) => services.accounts.reset(mailbox),
    getInbox: ({ inbox }) => services.inbox.get(inbox),
    saveInbox: ({ inbox, settings, password }) => services.inbox.save(inbox, settings, password),
    testInbox: ({ inbox, settings, password }) => services.inbox.testConnection(inbox, settings, password),
    trustInboxCertificate: ({ inbox, settings, fingerprint256 }) => services.inbox.trustCertificate(inbox, settings, fingerprint256),
    checkInboxNow: ({ inbox }) => services.inbox.checkNow(inbox),
    resetInboxCounter: ({ inbox }) => services.inbox.resetCounter(inbox),
    inboxFirstConnection: ({ inbox }) => services.inbox.firstConnection(inbox),
    importInboxFromNow: ({ inbox }) => services.inbox.importFromNow(inbox),
    listActivityTypes: () => services.activityTypes.list(),
    addActivityType: ({ name }) => services.activityTypes.add(name),
    renameActivityType: ({ id, name }) => services.activityTypes.rename(id, name),
    retireActivityType: ({ id }) => services.activityTypes.retire(id),
    listInboxRecords: ({ inbox, limit }) => services.inbox.listRecords(inbox, limit),
    getInboxRecord: ({ id }) => services.inbox.getRecord(id),
    listInboxQuarantine: ({ inbox }) => services.inbox.listQuarantine(inbox),
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
