import { randomBytes } from 'node:crypto';

/** A message of about 50 MB (the largest the inboxes take): a short text part and a 36 MB attachment in base64. */
export function fiftyMegabyteMessage(): { readonly raw: Buffer; readonly content: Buffer } {
  const content = randomBytes(36 * 1024 * 1024);
  const header = [
    'From: ann@example.com',
    'Date: Mon, 3 Feb 2025 09:15:00 +0000',
    'Message-ID: <m1@example.com>',
    'Subject: big',
    'Content-Type: multipart/mixed; boundary=q',
    '',
    '--q',
    'Content-Type: text/plain',
    '',
    'see attached',
    '--q',
    'Content-Type: application/octet-stream; name=big.bin',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  const raw = Buffer.concat([
    Buffer.from(header, 'latin1'),
    Buffer.from(content.toString('base64').replace(/.{76}/g, '$&\r\n')),
    Buffer.from('\r\n--q--\r\n', 'latin1'),
  ]);
  return { raw, content };
}
