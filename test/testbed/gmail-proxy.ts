import { startImapProxy, type ImapProxy } from './imap-proxy';

/**
 * A proxy in front of a test bed Dovecot that makes it look like Gmail where retrieval cares: it adds
 * `X-GM-EXT-1` (and SPECIAL-USE, which Gmail announces too) to every CAPABILITY, marks one mailbox
 * `\Trash` in LIST answers (RFC 6154 special use, under a name that is not "Trash", so only its role can
 * find it), and strips the Gmail fetch items (X-GM-MSGID …) that a client asks for once it sees the
 * capability and Dovecot refuses.
 * The rest passes as it is (imap-proxy.ts).
 */
export interface GmailProxyOptions {
  /** Dovecot's plain IMAP port on 127.0.0.1 (the client connects without TLS to the proxy). */
  readonly targetPort: number;
  /** The mailbox the proxy marks `\Trash`. */
  readonly trashMailbox: string;
  /** Leave MOVE (RFC 6851) out of the capabilities, as servers without it do. */
  readonly withoutMove?: boolean;
}

const gmailFetchItems = /\s+X-GM-(MSGID|THRID|LABELS)\b/gi;

export function startGmailProxy(options: GmailProxyOptions): Promise<ImapProxy> {
  return startImapProxy({
    targetPort: options.targetPort,
    fromClient: (line) => line.replace(gmailFetchItems, ''),
    fromServer: (line) => asGmail(line, options),
  });
}

/** A server line as Gmail would say it: the extension announced, the Trash mailbox marked by its role. */
function asGmail(line: string, { trashMailbox, withoutMove = false }: GmailProxyOptions): string {
  // STARTTLS is left out: the client speaks plain IMAP to the proxy, which must see the commands.
  let result = /^(\* CAPABILITY |.*\[CAPABILITY )/i.test(line) ? line.replace(withoutMove ? /\s+(STARTTLS|MOVE)\b/gi : /\s+STARTTLS\b/gi, '').replace(/^(\* CAPABILITY |.*\[CAPABILITY )/i, (prefix) => `${prefix}X-GM-EXT-1 ${/\bSPECIAL-USE\b/i.test(line) ? '' : 'SPECIAL-USE '}`) : line;
  const listed = /^\* (LIST|LSUB) \(([^)]*)\) (\S+) (.+)$/i.exec(result);
  if (listed && listed[4]?.replace(/^"(.*)"$/, '$1') === trashMailbox && !/\\Trash/i.test(listed[2] ?? '')) {
    const flags = `${listed[2] ?? ''} \\Trash`.trim();
    result = `* ${listed[1]} (${flags}) ${listed[3]} ${listed[4]}`;
  }
  return result;
}
