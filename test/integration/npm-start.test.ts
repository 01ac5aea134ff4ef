import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const repository = join(import.meta.dirname, '../..');

/**
 * `npm start` as a person runs it, in a copy of the project (its own out/, so the build it makes does not
 * replace the one other tests are running; node_modules is the project's, linked). Electron's binary is
 * made to look absent whether or not this machine has it: ELECTRON_OVERRIDE_DIST_PATH points at an empty
 * folder, which node_modules/electron/index.js and install.js both look in, and an empty download cache
 * means the download has to reach the mirror, a port on 127.0.0.1 that the test controls.
 */
describe('npm start: the desktop app where Electron can run, else the same app in the browser (issue 12, item 1)', () => {
  let scratch: string;
  let project: string;
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'mail-settings-npm-start-'));
    project = join(scratch, 'project');
    // Everything but what npm install and the builds make (and git's own folder).
    const leftOut = new Set(['node_modules', 'out', 'dist', 'test-results', '.git', '.tmp'].map((entry) => join(repository, entry)));
    await cp(repository, project, { recursive: true, filter: (source) => !leftOut.has(source) });
    await symlink(join(repository, 'node_modules'), join(project, 'node_modules'), 'dir');
    await mkdir(join(scratch, 'no-electron-here'));
  });
  afterEach(async () => {
    await Promise.all([...running].map(stop));
    running.clear();
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  /** An environment in which Electron is absent and its download goes to `mirrorPort` on loopback. */
  async function envFor(mirrorPort: number, patch: Readonly<Record<string, string | undefined>> = {}): Promise<NodeJS.ProcessEnv> {
    const name = `run-${running.size}-${Date.now()}`;
    const cache = join(scratch, name, 'electron-cache');
    const dataDir = join(scratch, name, 'data');
    await mkdir(cache, { recursive: true });
    const mirror = `http://127.0.0.1:${mirrorPort}/`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DISPLAY: ':99',
      ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron-here'),
      electron_config_cache: cache,
      // @electron/get reads npm's setting before the environment variable: both point at the mirror.
      ELECTRON_MIRROR: mirror,
      npm_config_electron_mirror: mirror,
      MAIL_SETTINGS_DATA_DIR: dataDir,
      ...patch,
    };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete env[key];
    return env;
  }

  interface NpmStart {
    readonly output: () => string;
    /** Resolves with the first match of `pattern` in stdout, or rejects after `ms`. */
    waitFor(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
  }

  function npmStart(args: readonly string[], env: NodeJS.ProcessEnv): NpmStart {
    // Its own process group, so the test can stop npm, the script and the server it started, together.
    const child = spawn('npm', ['start', '--', ...args], { cwd: project, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    const waiters = new Set<() => void>();
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      waiters.forEach((check) => check());
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('close', () => waiters.forEach((check) => check()));
    return {
      output: () => stdout,
      waitFor: (pattern, ms = 60_000) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => fail(`not seen within ${ms} ms`), ms);
          const fail = (why: string): void => {
            waiters.delete(check);
            reject(new Error(`${pattern} ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          };
          const check = (): void => {
            const match = stdout.match(pattern);
            if (match) {
              clearTimeout(timer);
              waiters.delete(check);
              resolve(match);
            } else if (child.exitCode !== null || child.signalCode !== null) {
              clearTimeout(timer);
              fail(`not seen: npm start exited (${child.exitCode ?? child.signalCode})`);
            }
          };
          waiters.add(check);
          check();
        }),
    };
  }

  function stop(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
      const pid = child.pid;
      const kill = setTimeout(() => process.kill(-pid, 'SIGKILL'), 5_000);
      child.once('close', () => {
        clearTimeout(kill);
        resolve();
      });
      process.kill(-pid, 'SIGTERM');
    });
  }

  /** A port nothing listens on: taken from the system, then let go. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  /** A mirror that accepts connections and never answers: a download that hangs. */
  async function silentMirror(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
    const sockets = new Set<Socket>();
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as { port: number }).port,
      connections: () => connections,
      close: async () => {
        sockets.forEach((socket) => socket.destroy());
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  /** The page behind the printed address: the app itself with the launch's secret, nothing without it. */
  async function expectTheAppAt(url: string): Promise<void> {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<div id="root">');
    const withoutSecret = await fetch(new URL('/', url));
    expect(withoutSecret.status).not.toBe(200);
  }

  const urlLine = /^Mail Settings is at (http:\/\/127\.0\.0\.1:\d+\/\S+)$/m;

  it('with no Electron binary and a download that fails, says so in one sentence and opens the app in the browser', async () => {
    const port = await closedPort();
    const started = npmStart(['--no-open'], await envFor(port));
    const [, url] = await started.waitFor(urlLine, 25_000);
    expect(started.output()).toContain(
      `The desktop app can’t open here: Electron could not be downloaded (127.0.0.1:${port} refused the connection), so Mail Settings opens in your web browser instead.\n`,
    );
    expect(started.output().match(/can’t open here/g)).toHaveLength(1);
    await expectTheAppAt(url ?? '');
  });

  it('a download that hangs is given up at the limit, and the browser opens', async () => {
    const mirror = await silentMirror();
    try {
      const started = npmStart(['--no-open'], await envFor(mirror.port, { MAIL_SETTINGS_ELECTRON_DOWNLOAD_SECONDS: '2' }));
      await started.waitFor(/^Downloading Electron for the desktop app \(at most 2 s\)…$/m, 25_000);
      const downloadStarted = Date.now();
      await started.waitFor(/can’t open here/, 10_000);
      expect(Date.now() - downloadStarted).toBeLessThan(6_000);
      expect(started.output()).toContain(`Electron could not be downloaded (127.0.0.1:${mirror.port} did not answer within 2 s), so Mail Settings opens in your web browser instead.`);
      expect(mirror.connections()).toBeGreaterThan(0);
      const [, url] = await started.waitFor(urlLine);
      await expectTheAppAt(url ?? '');
    } finally {
      await mirror.close();
    }
  });

  it('npm start -- --browser opens the browser directly: no Electron, no download', async () => {
    const mirror = await silentMirror();
    try {
      const started = npmStart(['--browser', '--no-open'], await envFor(mirror.port));
      const [, url] = await started.waitFor(urlLine, 25_000);
      await expectTheAppAt(url ?? '');
      expect(started.output()).not.toContain('Downloading Electron');
      expect(started.output()).not.toContain('can’t open here');
      expect(mirror.connections()).toBe(0);
    } finally {
      await mirror.close();
    }
  });

  it('without a graphical display, says so and opens the browser, without downloading Electron', async () => {
    const mirror = await silentMirror();
    try {
      const started = npmStart(['--no-open'], await envFor(mirror.port, { DISPLAY: undefined, WAYLAND_DISPLAY: undefined }));
      await started.waitFor(urlLine, 25_000);
      expect(started.output()).toContain(
        'The desktop app can’t open here: there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set), so Mail Settings opens in your web browser instead.\n',
      );
      expect(mirror.connections()).toBe(0);
    } finally {
      await mirror.close();
    }
  });
});
