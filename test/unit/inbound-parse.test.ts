import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParsedInbound } from '../../src/main/inbox/inbound-message';
import { readAttachment } from '../../src/main/inbox/parse/attachment-content';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { fiftyMegabyteMessage } from '../support/large-message';

// Messages are written here as the server would serve them: CRLF lines, 8-bit bytes where a test says so.
const crlf = (lines: readonly string[]) => lines.join('\r\n');
const utf8 = (lines: readonly string[]) => Buffer.from(crlf(lines), 'utf8');
/** Each character of the text is one byte: how Latin-1 (and any broken 8-bit) mail is written. */
const bytes = (lines: readonly string[]) => Buffer.from(crlf(lines), 'latin1');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const wellFormed = ['From: ann@example.com', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', 'Message-ID: <m1@example.com>'];
const lead = (raw: Buffer) => parseInbound(raw, 'lead');
/** Deterministic noise: SHA-256 blocks of a counter. */
const noise = (length: number): Buffer =>
  Buffer.concat(Array.from({ length: Math.ceil(length / 32) }, (_, i) => createHash('sha256').update(String(i)).digest())).subarray(0, length);

describe('the header, decoded', () => {
  it('decodes RFC 2047 encoded words in Subject and From, and lower-cases the address', async () => {
    const parsed = await lead(bytes([
      'From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <Joerg.Mueller@Example.COM>',
      'To: sales@example.com',
      // Adjacent encoded words in two charsets: the space between them is not text (RFC 2047 §6.2).
      'Subject: =?ISO-8859-1?Q?Caf=E9?= =?UTF-8?B?4piV?= and =?utf-8?q?cr=C3=A8me?=',
      'Date: Mon, 3 Feb 2025 09:15:00 +0100',
      'Message-ID: <abc.123@mail.example.com>',
      '',
      'Hello',
    ]));
    expect(parsed).toMatchObject({
      subject: 'Café☕ and crème', fromAddress: 'joerg.mueller@example.com', fromName: 'Jörg Müller',
      date: '2025-02-03T08:15:00.000Z', messageId: 'abc.123@mail.example.com', text: 'Hello', html: null, parseError: null,
    });
  });

  it('reads 8-bit UTF-8 header fields (RFC 6532) without complaint', async () => {
    const parsed = await lead(utf8(['From: Zoë Ørsted <ZOE@Example.com>', 'Subject: Réunion ☕ 日本語', ...wellFormed.slice(1), '', 'x']));
    expect(parsed).toMatchObject({ subject: 'Réunion ☕ 日本語', fromName: 'Zoë Ørsted', fromAddress: 'zoe@example.com', parseError: null });
  });

  it('reads 8-bit header fields that are not UTF-8 as Latin-1, field by field, and says so', async () => {
    const raw = Buffer.concat([
      bytes(['From: Ren\xe9 Fran\xe7ois <rene@example.com>', 'Subject: ']),
      Buffer.from('Caf\u00e9 cr\u00e8me \u20ac', 'utf8'),
      bytes(['', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', '', 'x']),
    ]);
    const parsed = await lead(raw);
    expect(parsed).toMatchObject({ fromName: 'René François', fromAddress: 'rene@example.com', subject: 'Café crème €' });
    expect(parsed.parseError).toBe('header From not UTF-8 (RFC 6532): read as Latin-1');
  });

  it.each([
    ['Tue, 1 Jul 2003 10:52:37 +0200', '2003-07-01T08:52:37.000Z'],
    ['Fri, 21 Nov 1997 09:55:06 -0600', '1997-11-21T15:55:06.000Z'],
    ['Thu, 13 Feb 1969 23:32:54 -0330', '1969-02-14T03:02:54.000Z'],
    ['Mon, 3 Feb 2025 09:15:00 +0100 (CET)', '2025-02-03T08:15:00.000Z'],
    ['Mon,\r\n 3 Feb 2025\r\n 09:15 GMT', '2025-02-03T09:15:00.000Z'],
    ['1 Jul 03 10:52 EST', '2003-07-01T15:52:00.000Z'],
    ['21 Nov 97 09:55:06 PDT', '1997-11-21T16:55:06.000Z'],
    ['Sat, 31 Dec 2016 23:59:60 +0000', '2016-12-31T23:59:59.000Z'],
    ['2025-02-03T08:15:00Z', '2025-02-03T08:15:00.000Z'],
  ])('reads the date %j as %s', async (date, iso) => {
    expect((await lead(bytes(['From: a@example.com', `Date: ${date}`, '', 'x']))).date).toBe(iso);
  });

  it.each(['bogus', '', '31 Feb 2025 10:00:00 +0000', 'Mon, 3 Feb 2025 25:00:00 +0000', '3 Feb 99999 10:00 +0000', 'Mon, 3 Foo 2025 10:00 +0000'])(
    'gives no date (never "now", never Invalid Date) for %j, and says so',
    async (date) => {
      const parsed = await lead(bytes(['From: a@example.com', `Date: ${date}`, '', 'x']));
      expect(parsed.date).toBeNull();
      expect(parsed.parseError).toBe('unreadable Date header');
    },
  );

  it('gives no date for a message without a Date header (RFC 5322 §3.6 requires one), and says so', async () => {
    const parsed = await lead(bytes(['From: a@example.com', 'Subject: s', '', 'x']));
    expect(parsed.date).toBeNull();
    expect(parsed.parseError).toBe('no Date header');
  });

  it('keeps Message-ID, In-Reply-To and References without brackets, and only the well-formed ids', async () => {
    const parsed = await lead(bytes([
      'From: a@example.com',
      'Date: Mon, 3 Feb 2025 09:15:00 +0000',
      'Message-ID:',
      ' <folded.id@example.com>',
      `In-Reply-To: <a1@x.example> (Ann's message of "Mon, 3 Feb" <ann@x.example>)`,
      'References: <r1@x.example>',
      ' <r2@x.example> junk <broken@',
      '\t<r3@x.example> <no-at-sign> <r2@x.example> "quoted <q@x.example>"',
      'References: <r4@x.example>',
      '',
      'x',
    ]));
    expect(parsed).toMatchObject({ messageId: 'folded.id@example.com', inReplyTo: ['a1@x.example'], references: ['r1@x.example', 'r2@x.example', 'r3@x.example', 'r4@x.example'] });
    expect((await lead(bytes(['Message-ID: bare-id@example.com', '', 'x']))).messageId).toBe('bare-id@example.com');
    expect((await lead(bytes(['Message-ID: not an id', 'In-Reply-To: Your message of yesterday', '', 'x']))).messageId).toBeNull();
  });
});

describe('attachments', () => {
  const pdf = randomBytes(3000);
  const exe = Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1');
  const base64Lines = (data: Buffer) => data.toString('base64').match(/.{1,76}/g)!;

  it('decodes RFC 2231 and RFC 2047 file names, hashes and sizes the exact decoded content, and decodes it again from the raw message', async () => {
    const raw = bytes([
      ...wellFormed,
      'Content-Type: multipart/mixed; boundary="==b=="',
      '',
      '--==b==',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See attached.',
      '--==b==',
      `Content-Type: application/pdf; name="=?UTF-8?B?${Buffer.from('Übersicht.pdf').toString('base64')}?="`,
      'Content-Transfer-Encoding: base64',
      '',
      ...base64Lines(pdf),
      '--==b==',
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20Rechnung.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      ...base64Lines(pdf.subarray(0, 10)),
      '--==b==',
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*0*=UTF-8''Bericht%20; filename*1*=%C3%BCber%20Q1.pdf",
      'Content-Transfer-Encoding: base64',
      '',
      ...base64Lines(pdf.subarray(10, 30)),
      '--==b==--',
      '',
    ]);
    const parsed = await lead(raw);
    expect(parsed.parseError).toBeNull();
    expect(parsed.text).toBe('See attached.');
    expect(parsed.attachments.map(({ fileName, contentType, size }) => [fileName, contentType, size])).toEqual([
      ['Übersicht.pdf', 'application/pdf', 3000],
      ['€ Rechnung.pdf', 'application/pdf', 10],
      ['Bericht über Q1.pdf', 'application/pdf', 20],
    ]);
    expect(parsed.attachments.map((attachment) => attachment.sha256)).toEqual([sha256(pdf), sha256(pdf.subarray(0, 10)), sha256(pdf.subarray(10, 30))]);
    // Only what the attachments are is kept with the record; their bytes come back from the raw message.
    expect(parsed.attachments[0]).not.toHaveProperty('content');
    const again = await Promise.all(parsed.attachments.map((_, position) => readAttachment(raw, position)));
    expect(again[0]?.equals(pdf)).toBe(true);
    expect(again.map((content) => (content ? sha256(content) : null))).toEqual(parsed.attachments.map((attachment) => attachment.sha256));
    expect(await readAttachment(raw, 3)).toBeNull();
  });

  it('saves names that are safe: no path, no bidi override, no reserved Windows name, never empty', async () => {
    const part = (disposition: string) => ['--b', 'Content-Type: application/octet-stream', disposition, 'Content-Transfer-Encoding: base64', '', ...base64Lines(exe)];
    const parsed = await lead(bytes([
      ...wellFormed,
      'Content-Type: multipart/mixed; boundary=b',
      '',
      ...part('Content-Disposition: attachment; filename="../../../etc/cron.d/evil"'),
      ...part("Content-Disposition: attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe"),
      ...part('Content-Disposition: attachment; filename="..\\\\..\\\\CON.txt"'),
      ...part('Content-Disposition: attachment'),
      '--b--',
      '',
    ]));
    expect(parsed.attachments.map((attachment) => attachment.fileName)).toEqual(['evil', 'invoicefdp.exe', '_CON.txt', 'attachment']);
    for (const attachment of parsed.attachments) expect(attachment).toMatchObject({ size: exe.length, sha256: sha256(exe) });
  });
});

describe('malformed mail is read as far as it goes, never dropped, never thrown', () => {
  it('a multipart without a boundary: the body is kept as text', async () => {
    const parsed = await lead(bytes([...wellFormed, 'Subject: no boundary', 'Content-Type: multipart/mixed', '', '--zz', 'Content-Type: text/plain', '', 'hello', '--zz--', '']));
    expect(parsed).toMatchObject({ subject: 'no boundary', fromAddress: 'ann@example.com', parseError: 'multipart/mixed without a boundary' });
    expect(parsed.text).toContain('hello');
  });

  it('a multipart whose boundary never appears: the body is kept as text', async () => {
    const parsed = await lead(bytes([...wellFormed, 'Content-Type: multipart/mixed; boundary=other', '', '--zz', '', 'hello', '']));
    expect(parsed.parseError).toBe('multipart/mixed whose boundary never appears');
    expect(parsed.text).toContain('hello');
  });

  it('an unterminated multipart (cut short): the parts that are there are read', async () => {
    const raw = bytes([
      ...wellFormed, 'Subject: cut', 'Content-Type: multipart/mixed; boundary=zz', '',
      '--zz', 'Content-Type: text/plain', '', 'hello',
      '--zz', 'Content-Type: application/pdf; name=a.pdf', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK',
    ]);
    const parsed = await lead(raw);
    expect(parsed).toMatchObject({ subject: 'cut', text: 'hello', parseError: 'multipart/mixed not terminated (no closing boundary: the message may be cut short)' });
    expect(parsed.attachments.map((attachment) => [attachment.fileName, attachment.size, attachment.sha256])).toEqual([['a.pdf', 9, sha256(Buffer.from('%PDF-1.4\n'))]]);
    expect((await readAttachment(raw, 0))?.toString()).toBe('%PDF-1.4\n');
  });

  it('an unknown charset: read as UTF-8 when it is UTF-8, else as Latin-1, and named', async () => {
    const latin = await lead(bytes([...wellFormed, 'Content-Type: text/plain; charset=x-bogus', '', 'h\xe9llo w\xf6rld']));
    expect(latin).toMatchObject({ text: 'héllo wörld', parseError: 'unknown charset x-bogus: read as UTF-8 or Latin-1' });
    const utf = await lead(Buffer.concat([bytes([...wellFormed, 'Content-Type: text/plain; charset="unknown-8bit"', '', '']), Buffer.from('héllo ☕', 'utf8')]));
    expect(utf).toMatchObject({ text: 'héllo ☕', parseError: 'unknown charset unknown-8bit: read as UTF-8 or Latin-1' });
  });

  it.each([
    ['iso-8859-2', '\xb1\xe6', 'ąć'],
    ['windows-1252', '\x80 \x93q\x94', '€ “q”'],
    ['koi8-r', '\xf0\xd2\xc9\xd7\xc5\xd4', 'Привет'],
    ['shift_jis', '\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd', 'こんにちは'],
    ['ks_c_5601-1987', '\xbe\xc8\xb3\xe7', '안녕'],
  ])('decodes a body in %s without complaint', async (charset, body, text) => {
    const parsed = await lead(bytes([...wellFormed, `Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: 8bit', '', body]));
    expect(parsed).toMatchObject({ text, parseError: null });
  });

  it('a 1 MB header line is cut, and the fields around it are still read', async () => {
    const parsed = await lead(bytes(['From: ann@example.com', `X-Junk: ${'a'.repeat(1024 * 1024)}`, 'Subject: after the junk', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', '', 'body']));
    expect(parsed).toMatchObject({ subject: 'after the junk', fromAddress: 'ann@example.com', text: 'body', parseError: 'header X-Junk longer than 65536 bytes: cut' });
  });

  it('a header of 20,000 fields: the extra fields are dropped, the ones we read are kept', async () => {
    const junk = Array.from({ length: 20_000 }, (_, index) => `X-Filler-${index}: ${'f'.repeat(40)}`);
    const parsed = await lead(bytes(['From: ann@example.com', ...junk, 'Subject: still here', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', '', 'body']));
    expect(parsed).toMatchObject({ subject: 'still here', text: 'body', date: '2025-02-03T09:15:00.000Z' });
    expect(parsed.parseError).toMatch(/^header too large: \d+ fields dropped$/);
  });

  it('NUL bytes are removed from the header and the body, and named', async () => {
    const parsed = await lead(bytes(['From: ann@example.com', 'Sub\0ject: he\0llo', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', '', 'bo\0dy']));
    expect(parsed).toMatchObject({ subject: 'hello', text: 'body', parseError: 'NUL bytes removed from the header; NUL bytes removed from the body' });
  });

  it('bare LF line ends are read as line ends, attachments included', async () => {
    const raw = Buffer.from([
      'From: Ann <ann@example.com>', 'Subject: bare LF', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', 'Content-Type: multipart/mixed; boundary=q', '',
      '--q', 'Content-Type: text/plain', '', 'line one', 'line two',
      '--q', 'Content-Type: image/png; name=x.png', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--q--', '',
    ].join('\n'));
    const parsed = await lead(raw);
    expect(parsed).toMatchObject({ subject: 'bare LF', fromName: 'Ann', text: 'line one\nline two', parseError: null });
    expect(parsed.attachments.map((attachment) => [attachment.fileName, attachment.size])).toEqual([['x.png', 8]]);
  });

  it('a header with no blank line before the body: the body starts at the first line that is no field', async () => {
    const parsed = await lead(bytes(['From: ann@example.com', 'Subject: no gap', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', 'Hello there,', 'this is the body.']));
    expect(parsed).toMatchObject({ subject: 'no gap', text: 'Hello there,\nthis is the body.', parseError: 'no blank line between header and body' });
  });

  it('when the MIME parser gives up (more than 1,000 parts), the header and the raw text are still returned', async () => {
    const parts = Array.from({ length: 1100 }, (_, index) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${index}`);
    const parsed = await lead(bytes([...wellFormed, 'Subject: many parts', 'Content-Type: multipart/mixed; boundary=p', '', ...parts, '--p--', '']));
    expect(parsed).toMatchObject({ subject: 'many parts', fromAddress: 'ann@example.com', messageId: 'm1@example.com', date: '2025-02-03T09:15:00.000Z' });
    expect(parsed.parseError).toMatch(/^MIME structure unreadable: /);
    expect(parsed.text).toContain('part 0');
  });

  it.each([
    ['an empty message', Buffer.alloc(0), 'no Date header; no From header', null],
    ['only a blank line', Buffer.from('\r\n\r\n'), 'no Date header; no From header', null],
    // Noise with no line break and no colon: fixed (a hash chain), so every run parses the same bytes.
    ['random bytes', Buffer.from(noise(4096).map((byte) => (byte === 0x0a || byte === 0x0d || byte === 0x3a ? 0x41 : byte))), /^no header; /, null],
    ['a header that never ends', bytes(['From: ann@example.com', 'Subject: no body']), 'no Date header', 'ann@example.com'],
    ['an unreadable From', bytes(['From: undisclosed recipients', 'Date: Mon, 3 Feb 2025 09:15:00 +0000', '', 'x']), 'unreadable From header', null],
  ])('%s', async (_name, raw, reason, fromAddress) => {
    const parsed: ParsedInbound = await lead(raw);
    if (typeof reason === 'string') expect(parsed.parseError).toBe(reason);
    else expect(parsed.parseError).toMatch(reason);
    expect(parsed.fromAddress).toBe(fromAddress);
  });
});

describe('a 50 MB message', () => {
  // Its memory figure (no second copy of the message: about 1.6x its size at the peak) is printed by
  // `npm run bench` (bench/inbound-parse.bench.test.ts), not asserted here.
  it('is parsed whole: the 36 MB attachment decoded with its size and digest', { timeout: 60_000 }, async () => {
    const { raw, content } = fiftyMegabyteMessage();
    expect(raw.length).toBeGreaterThan(49 * 1024 * 1024);
    const parsed = await lead(raw);
    expect(parsed.parseError).toBeNull();
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]!.size).toBe(content.length);
    expect(parsed.attachments[0]!.sha256).toBe(sha256(content));
  });
});
