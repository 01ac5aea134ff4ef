// Dovecot's checkpassword passdb for the test bed's shared-mailbox server: Office 365's shared mailboxes,
// where a member's token opens another address (Microsoft Learn, "Authenticate an IMAP, POP or SMTP
// connection using OAuth": shared mailbox access needs Full Access, and the SASL XOAUTH2 user is the
// shared mailbox's address).
//
// Dovecot's oauth2 passdb refuses a token whose owner differs from the login name; this program receives
// both (with `mechanisms = xoauth2`, the "password" is the bearer token) and decides:
//   argv: <bridge url> <full-access dir> <checkpassword-reply> (Dovecot appends the reply program)
//   fd 3: login name \0 token \0 (the checkpassword protocol, https://cr.yp.to/checkpwd/interface.html)
// The token is introspected at the test IdP through the bridge (RFC 7662); it is accepted when it is
// active and its owner is the login name itself or a member listed in <full-access dir>/<login name>
// (one address a line, written by the tests). Accepted: exec the reply program with USER set, which
// tells Dovecot who logged in. Refused: exit 1 (authentication failed). Anything else: 111 (temporary).
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const [bridgeUrl, fullAccessDir, replyProgram] = process.argv.slice(2);

async function readFd3() {
  const chunks = [];
  for await (const chunk of createReadStream('', { fd: 3 })) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8').split('\0');
}

async function tokenOwner(token) {
  const response = await fetch(bridgeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`the bridge answered ${response.status}`);
  const answer = await response.json();
  return answer.active === true && typeof answer.username === 'string' ? answer.username.toLowerCase() : null;
}

async function membersOf(address) {
  // Only plain addresses name a file: nothing in a login name walks out of the directory.
  if (!/^[^\s/@]+@[^\s/@]+$/.test(address)) return [];
  try {
    const text = await readFile(join(fullAccessDir, address), 'utf8');
    return text.split('\n').map((line) => line.trim().toLowerCase()).filter(Boolean);
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
}

function reply(user) {
  const child = spawn(replyProgram, [], { stdio: [0, 1, 2, 3, 4], env: { ...process.env, USER: user } });
  child.on('exit', (code) => process.exit(code ?? 111));
  child.on('error', (error) => {
    process.stderr.write(`checkpassword: ${error.message}\n`);
    process.exit(111);
  });
}

async function main() {
  const [loginName = '', token = ''] = await readFd3();
  const user = loginName.toLowerCase();
  const owner = token === '' ? null : await tokenOwner(token);
  if (owner === null) {
    process.stderr.write(`checkpassword: ${user}: the token is not active\n`);
    process.exit(1);
  }
  if (owner !== user && !(await membersOf(user)).includes(owner)) {
    process.stderr.write(`checkpassword: ${owner} has no Full Access to ${user}\n`);
    process.exit(1);
  }
  reply(user);
}

main().catch((error) => {
  process.stderr.write(`checkpassword: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(111);
});
