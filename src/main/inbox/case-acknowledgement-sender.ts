import MailComposer from 'nodemailer/lib/mail-composer';
import type { Logger } from '../log/logger';
import { caseReference } from '../records/inbox-records';
import type { RecordsStore } from '../records/records-store';
import type { DueAcknowledgement } from '../records/case-acknowledgement-records';
import { messageIdOf } from '../send-direct/compose-message';
import type { SettingsStore } from '../settings/settings-store';
import type { SmtpService } from '../smtp/smtp-service';
import { caseNumberInSubject, subjectWithoutReplyPrefixes } from './cases/case-subject';

export interface AcknowledgementSenderDeps {
  readonly records: () => Promise<RecordsStore>;
  readonly settings: Pick<SettingsStore, 'getMailbox'>;
  readonly smtp: Pick<SmtpService, 'withSession'>;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface AcknowledgementOutcome {
  readonly sent: number;
  readonly skipped: number;
  readonly failed: number;
}

/**
 * Sends the acknowledgements queued with new Service Desk cases, through Send Direct's server. It runs after
 * a retrieval has committed its records, never inside that transaction: a slow or failing SMTP server never
 * holds up or undoes a case. Each acknowledgement is claimed (marked sent) before it goes, so it goes at
 * most once, and at most one goes to a sender per hour; none goes to one of our own addresses. Queued
 * ones stay queued while the server cannot be reached, and go with the next run.
 */
export async function sendDueAcknowledgements(deps: AcknowledgementSenderDeps): Promise<AcknowledgementOutcome> {
  const queue = (await deps.records()).caseAcknowledgements;
  const due = await queue.due();
  if (due.length === 0) return { sent: 0, skipped: 0, failed: 0 };
  const send = deps.settings.getMailbox('send');
  if (!send) {
    for (const acknowledgement of due) await queue.failed(acknowledgement.id, 'Send Direct is not set up');
    return { sent: 0, skipped: 0, failed: due.length };
  }
  const ownAddresses = ownAddressesOf(deps.settings, [send.senderAddress, send.userName]);
  let sent = 0;
  let skipped = 0;
  let failed = 0;
  const session = await deps.smtp.withSession('send', send, { kind: 'keep' }, async (smtp) => {
    for (const acknowledgement of due) {
      const claim = await queue.claim(acknowledgement.id, ownAddresses);
      if (!claim.send) {
        skipped += 1;
        continue;
      }
      try {
        const raw = await composeAcknowledgement(acknowledgement, { name: send.senderName, address: send.senderAddress }, deps.now());
        await smtp.sendRaw({ from: send.senderAddress, to: [acknowledgement.recipient] }, raw);
        await queue.sent(acknowledgement.id, messageIdOf(raw)?.slice(1, -1) ?? null);
        sent += 1;
      } catch (error) {
        await queue.failed(acknowledgement.id, error instanceof Error ? error.message : String(error));
        failed += 1;
      }
    }
  });
  if (!session.ok) deps.logger.warn('Service Desk acknowledgements not sent yet', { code: session.error.code, message: session.error.message });
  return { sent, skipped, failed };
}

/** Addresses an acknowledgement must never go to: Send Direct's, and the mailboxes the inboxes read. */
function ownAddressesOf(settings: Pick<SettingsStore, 'getMailbox'>, sendDirect: readonly string[]): string[] {
  const inboxes = (['lead', 'serviceDesk'] as const).flatMap((inbox) => {
    const saved = settings.getMailbox(inbox);
    return saved ? [saved.userName, ...(saved.sharedMailbox ? [saved.sharedMailbox] : [])] : [];
  });
  return [...sendDirect, ...inboxes].filter((address) => address.includes('@'));
}

/**
 * The acknowledgement: it carries the case's tag in its subject (so that a reply finds the case), answers
 * the message that opened it, and says it is automatic: `Auto-Submitted: auto-replied` (RFC 3834 §5) and
 * `X-Auto-Response-Suppress: All` (Exchange's "send no auto-reply to this",
 * https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxcmail/ced68690-498a-4567-9d14-5c01f974d8b1).
 */
export function composeAcknowledgement(acknowledgement: DueAcknowledgement, from: { readonly name: string; readonly address: string }, date: Date): Promise<Buffer> {
  const tag = caseReference(acknowledgement.caseId);
  const subject = subjectWithoutReplyPrefixes(acknowledgement.caseSubject);
  const opening = acknowledgement.openingMessageId === null ? null : `<${acknowledgement.openingMessageId}>`;
  return new MailComposer({
    from: { ...from },
    to: acknowledgement.recipient,
    subject: caseNumberInSubject(subject) === acknowledgement.caseId ? subject : `${tag} ${subject}`.trim(),
    date,
    ...(opening ? { inReplyTo: opening, references: [opening] } : {}),
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    text: [
      'Thank you for your message.',
      '',
      `We have opened case ${tag} for it and will get back to you.`,
      `Please keep ${tag} in the subject when you write to us about it.`,
      '',
      'This message was sent automatically; you do not need to answer it.',
    ].join('\n'),
  })
    .compile()
    .build();
}
