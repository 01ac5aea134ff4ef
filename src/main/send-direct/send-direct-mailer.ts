import { ErrorCode, fail, type AppError, type Result } from '../../shared/errors';
import type { SentEmail } from '../../shared/test-email';
import type { LocalAttachment } from '../files/chosen-attachments';
import type { RecordsStore } from '../records/records-store';
import type { SmtpService } from '../smtp/smtp-service';
import { composeMessage, messageIdOf } from './compose-message';
import { readMessageFiles } from './message-files';
import type { SendDirectService } from './send-direct-service';

export interface TestEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  /**
   * Ordinary attachments: files the user chose (main's open-file dialog, or the CLI's --attach), never paths
   * from the renderer. Each is checked like an image (a regular file here, within the size limits) when sent.
   */
  readonly attachments: readonly LocalAttachment[];
  /** "Create a copy as an activity note" (seed 000). */
  readonly activityNote: boolean;
}

export interface SendDirectMailerDeps {
  readonly sendDirect: SendDirectService;
  readonly smtp: SmtpService;
  readonly records: () => Promise<RecordsStore>;
  readonly now: () => Date;
}

const notConfigured: AppError = {
  code: ErrorCode.NotConfigured,
  message: 'Send Direct is not set up yet.',
  fix: 'Fill in the Send Direct section and click Save first.',
};

/** Sends a message with the saved Send Direct settings, and keeps it as an "Email Sent" activity note if asked. */
export function createSendDirectMailer(deps: SendDirectMailerDeps) {
  return {
    async send(email: TestEmail): Promise<Result<SentEmail>> {
      const view = await deps.sendDirect.get();
      if (!view.ok) return view;
      const settings = view.value.settings;
      if (!settings) return fail(notConfigured);
      // Every file is read and checked before anything else: a refused one stops the message before the
      // keychain is read or a server contacted.
      const files = await readMessageFiles(email.html, email.attachments);
      if (!files.ok) return files;
      return deps.smtp.withSession('send', settings, { kind: 'keep' }, async (session) => {
        const raw = await composeMessage(
          { from: { name: settings.senderName, address: settings.senderAddress }, to: email.to, subject: email.subject, date: deps.now() },
          files.value,
        );
        const sent = await session.sendRaw({ from: settings.senderAddress, to: email.to }, raw);
        let activityNoteId: number | null = null;
        if (email.activityNote) {
          const records = await deps.records();
          const note = await records.addActivityNote({
            typeName: 'Email Sent',
            subject: email.subject,
            from: settings.senderAddress,
            to: [...email.to],
            occurredAt: deps.now(),
            bodyHtml: email.html,
            rawMessage: raw,
          });
          activityNoteId = note.id;
        }
        return { messageId: messageIdOf(raw) ?? sent.messageId, inlineImages: files.value.images.length, activityNoteId };
      });
    },
  };
}

export type SendDirectMailer = ReturnType<typeof createSendDirectMailer>;
