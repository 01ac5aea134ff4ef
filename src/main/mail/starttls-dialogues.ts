import type { MailProtocol } from '../../shared/mail-server';
import type { LineReader } from './line-reader';

/**
 * A protocol's plain start, up to the moment the TLS handshake begins: true when the server agreed to
 * STARTTLS, false when it does not offer it. Throws on an answer the protocol does not allow there.
 */
export type StartTlsDialogue = (lines: LineReader, send: (command: string) => void) => Promise<boolean>;

/** Reads one (possibly multi-line) SMTP reply, checks its code and answers its lines. */
async function smtpReply(lines: LineReader, code: string): Promise<string[]> {
  const reply: string[] = [];
  for (;;) {
    const line = await lines.next();
    if (!line.startsWith(code)) throw new Error(`unexpected reply: ${line.slice(0, 80)}`);
    reply.push(line);
    if (line.charAt(3) !== '-') return reply;
  }
}

/** RFC 3207: EHLO, STARTTLS only where the EHLO reply offers it (§4), and 220 before the handshake. */
const smtpStartTls: StartTlsDialogue = async (lines, send) => {
  await smtpReply(lines, '220');
  send('EHLO mail-settings.localhost');
  const extensions = await smtpReply(lines, '250');
  if (!extensions.some((line) => /^STARTTLS\b/i.test(line.slice(4)))) return false;
  send('STARTTLS');
  await smtpReply(lines, '220');
  return true;
};

/** The capabilities in an IMAP `* CAPABILITY …` response or a `[CAPABILITY …]` response code (RFC 3501 §7.2.1, §7.1). */
function capabilitiesIn(line: string): string[] | null {
  const listed = /^\* CAPABILITY (.*)$/i.exec(line) ?? /\[CAPABILITY ([^\]]*)\]/i.exec(line);
  return listed ? (listed[1] ?? '').trim().toUpperCase().split(/\s+/) : null;
}

/** Reads up to the tagged completion of `tag`, answering it and the untagged lines before it. */
async function imapCompletion(lines: LineReader, tag: string): Promise<{ readonly status: string; readonly untagged: string[] }> {
  const untagged: string[] = [];
  for (;;) {
    const line = await lines.next();
    if (line.startsWith(`${tag} `)) return { status: line.slice(tag.length + 1).split(' ')[0]?.toUpperCase() ?? '', untagged };
    untagged.push(line);
  }
}

/**
 * RFC 3501 §6.2.1 and RFC 2595 §3.1: after an `* OK` greeting (a `* PREAUTH` session is past the point
 * where STARTTLS is allowed, a `* BYE` is a refusal), the capabilities (from the greeting's response code,
 * or asked with CAPABILITY) must list STARTTLS before the client sends it; the handshake starts after its
 * tagged OK.
 */
const imapStartTls: StartTlsDialogue = async (lines, send) => {
  const greeting = await lines.next();
  if (!/^\* OK\b/i.test(greeting)) {
    if (/^\* PREAUTH\b/i.test(greeting)) return false;
    throw new Error(`unexpected greeting: ${greeting.slice(0, 80)}`);
  }
  let capabilities = capabilitiesIn(greeting);
  if (!capabilities) {
    send('a CAPABILITY');
    const asked = await imapCompletion(lines, 'a');
    if (asked.status !== 'OK') throw new Error('CAPABILITY refused');
    capabilities = asked.untagged.map(capabilitiesIn).find((listed) => listed !== null) ?? [];
  }
  if (!capabilities.includes('STARTTLS')) return false;
  send('b STARTTLS');
  const upgraded = await imapCompletion(lines, 'b');
  if (upgraded.status !== 'OK') throw new Error('STARTTLS refused');
  return true;
};

export const startTlsDialogues: Readonly<Record<MailProtocol, StartTlsDialogue>> = {
  smtp: smtpStartTls,
  imap: imapStartTls,
};
