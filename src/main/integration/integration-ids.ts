import { randomBytes } from 'node:crypto';

/**
 * A new id for an integration credential or alias: 12 lowercase hex digits (48 random bits), never one in
 * `taken`. Short enough to type on the command line, and never a built-in mailbox's id (`send`, `lead`).
 */
export function newIntegrationId(taken: ReadonlySet<string>, random: (bytes: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(6).toString('hex');
    if (!taken.has(id)) return id;
  }
}
