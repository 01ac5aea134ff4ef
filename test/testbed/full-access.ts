import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testbed } from './client';

/**
 * Who has Full Access to a shared mailbox on the test bed's shared-mailbox Dovecot, as an Office 365 admin
 * would grant it in the Microsoft 365 admin center (shared-mailbox.ts). Read on every login, so a change
 * applies to the next one.
 */

function membersFile(sharedAddress: string): string {
  return join(testbed().dovecotSharedMailbox.fullAccessDir, sharedAddress.toLowerCase());
}

async function members(sharedAddress: string): Promise<string[]> {
  try {
    return (await readFile(membersFile(sharedAddress), 'utf8')).split('\n').filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function writeMembers(sharedAddress: string, list: readonly string[]): Promise<void> {
  // Written aside, then renamed: a login never reads half a list.
  const file = membersFile(sharedAddress);
  const aside = `${file}.${process.pid}.tmp`;
  await writeFile(aside, list.map((member) => `${member.toLowerCase()}\n`).join(''), { mode: 0o644 });
  await rename(aside, file);
}

export async function grantFullAccess(sharedAddress: string, member: string): Promise<void> {
  const list = await members(sharedAddress);
  if (!list.includes(member.toLowerCase())) await writeMembers(sharedAddress, [...list, member]);
}

export async function removeFullAccess(sharedAddress: string, member: string): Promise<void> {
  await writeMembers(sharedAddress, (await members(sharedAddress)).filter((m) => m !== member.toLowerCase()));
}
