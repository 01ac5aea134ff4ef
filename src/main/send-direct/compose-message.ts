import MailComposer from 'nodemailer/lib/mail-composer';
import type { MessageFiles } from './message-files';

export interface OutgoingMessage {
  readonly from: { readonly name: string; readonly address: string };
  readonly to: readonly string[];
  readonly subject: string;
  readonly date: Date;
}

/**
 * The message's bytes, composed once: the same bytes are sent and kept in the activity note. Local images
 * are inline parts with their Content-ID (RFC 2392), then the chosen attachments.
 */
export function composeMessage(message: OutgoingMessage, { html, images, attachments }: MessageFiles): Promise<Buffer> {
  return new MailComposer({
    from: { ...message.from },
    to: [...message.to],
    subject: message.subject,
    html,
    date: message.date,
    attachments: [
      ...images.map((image) => ({ filename: image.filename, content: image.content, contentType: image.contentType, cid: image.cid, contentDisposition: 'inline' as const })),
      ...attachments,
    ],
  })
    .compile()
    .build();
}

/** The Message-ID the composer wrote into the header, angle brackets included. */
export function messageIdOf(raw: Buffer): string | null {
  return /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? null;
}
