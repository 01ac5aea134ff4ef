/**
 * The account a mailbox belongs to, as the records key it: server host + user name, lower-cased (host
 * names are case-insensitive, and servers treat user names so). Not the port or security: one mailbox
 * reached over 993 or 143 is the same mailbox. A host name never contains '/', so the key is unambiguous.
 */
export function accountKeyOf(host: string, user: string): string {
  return `${host.trim().toLowerCase()}/${user.trim().toLowerCase()}`;
}
