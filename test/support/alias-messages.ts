import { randomUUID } from 'node:crypto';

/**
 * Mail as it arrives in an Email Integration mailbox, addressed through its aliases (raw bytes with CRLF
 * line ends, so Dovecot serves a Maildir file byte for byte).
 */
export interface AddressedMessage {
  readonly messageId: string;
  readonly subject: string;
  readonly raw: Buffer;
}

export function addressedMessage(subject: string, headers: { readonly deliveredTo?: string; readonly to?: string; readonly cc?: string }): AddressedMessage {
  const messageId = `${randomUUID()}@sender.example.test`;
  const lines = [
    ...(headers.deliveredTo ? [`Delivered-To: ${headers.deliveredTo}`] : []),
    `Message-ID: <${messageId}>`,
    'Date: Tue, 24 Nov 2026 10:00:00 +0000',
    'From: "Pat Customer" <pat@customer.example.test>',
    `To: ${headers.to ?? 'undisclosed-recipients:;'}`,
    ...(headers.cc ? [`Cc: ${headers.cc}`] : []),
    `Subject: ${subject}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `About: ${subject}`,
  ];
  return { messageId, subject, raw: Buffer.from(`${lines.join('\r\n')}\r\n`) };
}
