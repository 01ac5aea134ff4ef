// Whether Electron's binary is here, and fetching it when it is not, within a time limit. Electron 45's npm
// package has no install script: node_modules/electron/index.js downloads the binary the first time it is
// asked for its path, with no time limit, and a blocked download would hang `npm start`. So the binary is
// looked for as index.js looks for it, and fetched by Electron's own install.js (which honours
// ELECTRON_MIRROR, electron_config_cache and the other @electron/get settings), killed at the limit.

import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readDownloadReports } from './download-report.mjs';

export const defaultDownloadLimitSeconds = 30;

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const downloadWatch = fileURLToPath(new URL('./download-watch.mjs', import.meta.url));

const exists = (path) => access(path).then(() => true, () => false);

/**
 * The binary's path as node_modules/electron/index.js gives it: path.txt (written once the download is
 * unpacked) names it inside dist/, or inside ELECTRON_OVERRIDE_DIST_PATH when that is set. Null without
 * path.txt and without an override: nothing was ever unpacked.
 */
export async function electronExecutable(env) {
  const named = await readFile(join(electronDir, 'path.txt'), 'utf8').catch(() => null);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) return join(env.ELECTRON_OVERRIDE_DIST_PATH, named ?? 'electron');
  return named === null ? null : join(electronDir, 'dist', named);
}

/**
 * Resolves `{ executable }` when Electron's binary is here (fetched first if it was not), or `{ reason }`:
 * why it could not be fetched, as words for a sentence. `onFetching` is called before a download starts.
 */
export async function ensureElectron({ env, limitSeconds, onFetching }) {
  const found = await electronExecutable(env);
  if (found !== null && (await exists(found))) return { executable: found };
  onFetching();
  const attempt = await runInstaller(env, limitSeconds);
  const fetched = await electronExecutable(env);
  if (attempt.ok && fetched !== null && (await exists(fetched))) return { executable: fetched };
  return { reason: attempt.reason ?? 'Electron’s installer finished, but the binary is not where it should be' };
}

function runInstaller(env, limitSeconds) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(downloadWatch).href, join(electronDir, 'install.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitSeconds * 1000);
    child.once('error', (error) => {
      clearTimeout(limit);
      resolve({ ok: false, reason: `its installer could not start (${error.message})` });
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      if (!timedOut && code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: failureReason(readDownloadReports(output), timedOut ? limitSeconds : null) });
    });
  });
}

/** Why the download failed, from what download-watch.mjs saw, else from install.js's first line. */
function failureReason({ events, rest }, timedOutAfterSeconds) {
  const last = events.at(-1);
  const host = last ? hostOf(last.url) : null;
  if (timedOutAfterSeconds !== null) {
    const from = host ?? 'the download server';
    return last?.kind === 'responded' ? `the download from ${from} did not finish within ${timedOutAfterSeconds} s` : `${from} did not answer within ${timedOutAfterSeconds} s`;
  }
  if (last?.kind === 'failed') return networkFailure(host, last.code, last.message);
  if (last?.kind === 'http-error') return `${host} answered ${last.status} ${last.statusText}`.trimEnd();
  const said = rest.find((line) => /\S/.test(line));
  return said ? said.replace(/^\w*Error: /, '').trim() : 'its installer failed without saying why';
}

function networkFailure(host, code, message) {
  if (code === 'ECONNREFUSED') return `${host} refused the connection`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${host} could not be found: no network or no DNS here`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `${host} did not answer`;
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `${host} can’t be reached from this network`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `the connection to ${host} was cut`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(String(code))) return `${host}’s certificate is not trusted here (${code})`;
  return `${host}: ${message}`;
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
