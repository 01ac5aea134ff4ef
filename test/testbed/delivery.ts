import { randomBytes } from 'node:crypto';
import { chown, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UserDirectory } from './users';

let counter = 0;

/**
 * Local delivery the way an MDA does it: write into Maildir/tmp, then rename into Maildir/new (atomic,
 * so Dovecot never sees half a message). Dovecot picks new/ up at the next IMAP command. Files are
 * owned by the mail owner so Dovecot (as nobody when we are root) can move them to cur/.
 * Returns the addresses that were delivered (unknown recipients are skipped, like a relay would bounce).
 */
export async function deliverToMaildirs(users: UserDirectory, recipients: readonly string[], raw: Buffer): Promise<string[]> {
  const delivered: string[] = [];
  for (const recipient of new Set(recipients.map((r) => r.toLowerCase()))) {
    if (!users.get(recipient)) continue;
    const maildir = await users.ensureMaildir(recipient);
    counter += 1;
    const now = Date.now();
    const name = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P${process.pid}Q${counter}R${randomBytes(4).toString('hex')}.testbed,S=${raw.length}`;
    const tmpPath = join(maildir, 'tmp', name);
    await writeFile(tmpPath, raw, { mode: 0o600 });
    await chown(tmpPath, users.owner.uid, users.owner.gid);
    await rename(tmpPath, join(maildir, 'new', name));
    delivered.push(recipient);
  }
  return delivered;
}
