/**
 * A UID list as an IMAP sequence set (RFC 3501 9, `sequence-set`): runs compressed to `a:b`, so a UID
 * command for a thousand consecutive messages stays one short line.
 */
export function uidSet(uids: Iterable<number>): string {
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  const parts: string[] = [];
  let index = 0;
  while (index < sorted.length) {
    const start = sorted[index] as number;
    let end = start;
    while (index + 1 < sorted.length && sorted[index + 1] === end + 1) {
      index += 1;
      end += 1;
    }
    parts.push(start === end ? String(start) : `${start}:${end}`);
    index += 1;
  }
  return parts.join(',');
}
