import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The test bed's Office 365 shared mailboxes: a Dovecot whose bearer tokens go to a checkpassword program
 * (full-access-checkpassword.mjs) instead of the oauth2 passdb, so that a member's token opens a shared
 * address when the member has Full Access to it. Who has Full Access to what is a directory of files,
 * one per shared address listing its members, which the tests write (full-access.ts).
 */

export interface SharedMailboxCheck {
  /** The executable for DovecotOptions.tokenCheckpassword. */
  readonly checkpasswordPath: string;
  /** <fullAccessDir>/<shared address>: the members with Full Access, one address a line. */
  readonly fullAccessDir: string;
}

function shellQuoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Puts the checkpassword program in `dir` behind a small shell script (Dovecot's checkpassword `args` is a
 * path, not a command line) that runs it with this Node and the bridge's address. Everything is readable
 * by Dovecot's auth process, which runs as another user when the test bed runs as root.
 */
export async function prepareSharedMailboxCheck(dir: string, bridgeUrl: string): Promise<SharedMailboxCheck> {
  const fullAccessDir = join(dir, 'full-access');
  await mkdir(fullAccessDir, { recursive: true, mode: 0o755 });
  const program = join(dir, 'full-access-checkpassword.mjs');
  await copyFile(join(import.meta.dirname, 'full-access-checkpassword.mjs'), program);
  await chmod(program, 0o644);
  const checkpasswordPath = join(dir, 'full-access-checkpassword');
  const script = ['#!/bin/sh', `exec ${[process.execPath, program, bridgeUrl, fullAccessDir].map(shellQuoted).join(' ')} "$@"`, ''].join('\n');
  await writeFile(checkpasswordPath, script, { mode: 0o755 });
  return { checkpasswordPath, fullAccessDir };
}
