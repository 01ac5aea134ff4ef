import { randomBytes } from 'node:crypto';

/**
 * Messages for retrieval tests, as the raw bytes a mail server would hold (CRLF line ends, so Dovecot
 * serves a Maildir file byte for byte).
 */

export interface GeneratedMessage {
  readonly messageId: string;
  readonly raw: Buffer;
}

const crlf = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;

/**
 * `count` web-form submissions with unique Message-IDs (`<tag>.<n>@testbed.localhost`); every tenth has
 * a small attachment, so records hold attachments too.
 */
export function webFormMessages(count: number, tag: string): GeneratedMessage[] {
  return Array.from({ length: count }, (_, n) => {
    const messageId = `${tag}.${n}@testbed.localhost`;
    const headers = [
      `Message-ID: <${messageId}>`,
      `Date: Tue, 24 Nov 2026 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
      `From: "Web Form" <forms@example.test>`,
      'To: sales@example.test',
      `Subject: Web lead ${n} (${tag})`,
      'MIME-Version: 1.0',
    ];
    const form = [`Name: Person ${n}`, `Email: person${n}@example.test`, 'Phone: +33 1 23 45 67 89', 'Company: Example SARL', `Message: Please call me back about offer ${n}.`];
    if (n % 10 !== 9) {
      return { messageId, raw: Buffer.from(crlf([...headers, 'Content-Type: text/plain; charset=utf-8', '', ...form])) };
    }
    const boundary = `b-${tag}-${n}`;
    const attachment = randomBytes(600).toString('base64').match(/.{1,76}/g) ?? [];
    return {
      messageId,
      raw: Buffer.from(
        crlf([
          ...headers,
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          ...form,
          `--${boundary}`,
          'Content-Type: application/octet-stream; name="brochure.bin"',
          'Content-Disposition: attachment; filename="brochure.bin"',
          'Content-Transfer-Encoding: base64',
          '',
          ...attachment,
          `--${boundary}--`,
        ]),
      ),
    };
  });
}

/**
 * Mail no parser reads cleanly: broken MIME, an unknown charset with 8-bit bytes, 8-bit header bytes, no
 * Date or From, a huge header, no header/body separator, a NUL byte. Each is what some real sender sent;
 * none may be dropped or stop a run.
 */
export function malformedMessages(tag: string): Buffer[] {
  const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
  return [
    latin1(crlf([`Message-ID: <${tag}.mime@testbed.localhost>`, 'Subject: unterminated multipart', 'Content-Type: multipart/mixed; boundary="never"', '', '--never', 'Content-Type: text/plain', '', 'no closing boundary'])),
    latin1(crlf([`Message-ID: <${tag}.charset@testbed.localhost>`, 'Subject: =?x-unknown-9?Q?=E9t=E9?=', 'Content-Type: text/plain; charset=x-unknown-9', 'Content-Transfer-Encoding: 8bit', '', 'caf\u00e9 cr\u00e8me \u00ff\u00fe'])),
    latin1(crlf([`Message-ID: <${tag}.8bit@testbed.localhost>`, 'Subject: R\u00e9sum\u00e9 8-bit header', 'From: Ren\u00e9 <ren\u00e9@example.test>', '', 'body'])),
    latin1(crlf([`Message-ID: <${tag}.nodate@testbed.localhost>`, 'Subject: no date, no from', 'Date: the day before yesterday', '', 'body'])),
    latin1(crlf([`Message-ID: <${tag}.huge@testbed.localhost>`, `X-Huge: ${Array.from({ length: 3_000 }, (_, i) => `token${i}`).join('\r\n ')}`, 'Subject: huge header', '', 'body'])),
    latin1(crlf([`this line is not a header in ${tag}`, 'and there is no blank line before the body'])),
    Buffer.concat([latin1(`Message-ID: <${tag}.nul@testbed.localhost>\r\nSubject: a NUL byte\r\n\r\nbefore`), Buffer.from([0]), latin1('after\r\n')]),
  ];
}
