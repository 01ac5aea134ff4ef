import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A page on disk that sends the browser on to the window's address, readable by this user only. */
export interface LaunchPage {
  /** `file:///…/open.html`: what the browser is started with. */
  readonly fileUrl: URL;
  remove(): Promise<void>;
}

/**
 * The window's address holds the launch secret, and a browser started with it as an argument shows it to
 * every user of the computer for as long as the browser runs (`ps`, /proc/<pid>/cmdline). So the browser is
 * started with this page instead, whose folder (mkdtemp: mode 0700) and file (0600) only this user can read,
 * and which redirects to the address: the way Jupyter opens its notebook server for the same reason.
 */
export async function writeLaunchPage(address: string): Promise<LaunchPage> {
  const folder = await mkdtemp(join(tmpdir(), 'mail-settings-ui-'));
  const file = join(folder, 'open.html');
  const href = escapeAttribute(address);
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Mail Settings</title></head>
<body><p><a href="${href}">Open Mail Settings</a></p></body>
</html>
`;
  await writeFile(file, html, { mode: 0o600, flag: 'wx' });
  return { fileUrl: pathToFileURL(file), remove: () => rm(folder, { recursive: true, force: true }) };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
