import { randomBytes } from 'node:crypto';
import { chown, link, open, readdir, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { testbed } from '../testbed/client';

/**
 * A large mailbox for `npm run bench:retrieval`: mixed sizes like a sales or support inbox (most are
 * small web-form submissions, a quarter carry a document, a few a 2–5 MB attachment), about 190 KB a
 * message on average, so 10,000 messages are about 1.9 GB. Written straight into Dovecot's Maildirs
 * (as writeToMaildir does), each file once and hard-linked into every mailbox that gets a copy, so two
 * runs can be compared on the same bytes.
 */

const crlf = (lines: readonly string[]): string => `${lines.join('\r\n')}\r\n`;

/** Bytes to cut attachments from: random, so they neither compress nor dedupe. */
const pool = randomBytes(8 * 1024 * 1024);

/** The size of the n-th message: 72% 3–40 KB, 25% 80–500 KB, 3% 2–5 MB, spread through the mailbox. */
export function benchMessageSize(n: number): number {
  const roll = (n * 37) % 100;
  const spread = (n * 2_654_435_761) % 1_000_003 / 1_000_003;
  if (roll < 72) return Math.round(3_000 + spread * 37_000);
  if (roll < 97) return Math.round(80_000 + spread * 420_000);
  return Math.round(2_000_000 + spread * 3_000_000);
}

/** The n-th message: a web-form submission, with a base64 attachment when it is larger than a form. */
export function benchMessage(n: number, tag: string): Buffer {
  const size = benchMessageSize(n);
  const headers = [
    `Message-ID: <${tag}.${n}@bench.localhost>`,
    `Date: Tue, 24 Nov 2026 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
    'From: "Web Form" <forms@example.test>',
    'To: sales@example.test',
    `Subject: Web lead ${n} (${tag})`,
    'MIME-Version: 1.0',
  ];
  const form = [`Name: Person ${n}`, `Email: person${n}@example.test`, 'Phone: +33 1 23 45 67 89', 'Company: Example SARL', `Message: Please call me back about offer ${n}.`];
  if (size < 50_000) {
    const head = crlf([...headers, 'Content-Type: text/plain; charset=utf-8', '', ...form]);
    const filler = Math.max(0, size - head.length);
    const line = 'We would like a quote for the items listed in our previous request, delivered before the end of the month.';
    const lines = Array.from({ length: Math.ceil(filler / (line.length + 2)) }, () => line);
    return Buffer.from(head + crlf(lines));
  }
  const boundary = `b-${tag}-${n}`;
  const head = crlf([
    ...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', ...form,
    `--${boundary}`, 'Content-Type: application/pdf; name="document.pdf"', 'Content-Disposition: attachment; filename="document.pdf"',
    'Content-Transfer-Encoding: base64', '',
  ]);
  const tail = `--${boundary}--\r\n`;
  // base64 lines of 76 characters + CRLF carry 57 bytes.
  const attachmentBytes = Math.max(57, Math.floor(((size - head.length - tail.length) / 78) * 57));
  const offset = (n * 104_729) % (pool.length - attachmentBytes);
  const base64 = pool.subarray(offset, offset + attachmentBytes).toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(base64.endsWith('\n') ? base64 : `${base64}\r\n`), Buffer.from(tail)]);
}

function maildirOf(email: string): string {
  const [local, domain] = email.toLowerCase().split('@');
  return join(testbed().mailRoot, domain ?? '', local ?? '', 'Maildir');
}

/**
 * Writes messages 0..count-1 into every listed user's Maildir/new (one file, hard-linked into each).
 * Returns the bytes of one copy. Holds one message in memory at a time.
 */
export async function writeBenchMailbox(emails: readonly string[], count: number, tag: string): Promise<number> {
  const [first, ...others] = emails.map(maildirOf);
  if (!first) return 0;
  const owner = await stat(first);
  const seconds = Math.floor(Date.now() / 1000);
  let bytes = 0;
  for (let n = 0; n < count; n += 1) {
    const raw = benchMessage(n, tag);
    bytes += raw.length;
    // <time>.<unique>.<host>,S=<size>, as writeToMaildir names them.
    const name = `${seconds}.M${n}P${process.pid}R${randomBytes(6).toString('hex')}.bench,S=${raw.length}`;
    const tmpPath = join(first, 'tmp', name);
    const file = await open(tmpPath, 'w', 0o600);
    await file.writeFile(raw);
    await file.close();
    await chown(tmpPath, owner.uid, owner.gid);
    for (const maildir of others) await link(tmpPath, join(maildir, 'new', name));
    await link(tmpPath, join(first, 'new', name));
    await unlink(tmpPath);
  }
  return bytes;
}

/** Removes whatever a run left in a user's Maildir (a failed run can leave gigabytes). */
export async function emptyBenchMailbox(email: string): Promise<void> {
  for (const folder of ['new', 'cur', 'tmp']) {
    const dir = join(maildirOf(email), folder);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) await rm(join(dir, name), { force: true });
  }
}
