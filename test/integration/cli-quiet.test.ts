import { randomUUID } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { clearKeychainOf } from '../support/data-dir-keychain';
import { webFormMessages } from '../support/inbox-messages';
import { runCli } from '../support/run-cli';
import { addUser, testbed, writeToMaildir } from '../testbed/client';

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/**
 * A module hook (node:module registerHooks) loaded with --import: it writes every module the CLI process
 * resolved, and every builtin it loaded however it asked for it (process.moduleLoadList, as
 * `builtin:<name>`), to $LOADED_MODULES_LOG when the process exits. So a test sees what `--help` loaded,
 * not only what it printed.
 */
const recordLoadedModules = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const loaded = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.push(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => 'builtin:' + m.slice('NativeModule '.length));
  writeFileSync(process.env.LOADED_MODULES_LOG, JSON.stringify([...loaded, ...builtins]));
});
`;

/** Another warning, raised once the CLI has done its work: the CLI must leave every other warning alone. */
const raiseAnotherWarning = `
let raised = false;
process.on('beforeExit', () => {
  if (raised) return;
  raised = true;
  process.emitWarning('Some other feature is experimental', 'ExperimentalWarning');
});
`;

describe('the CLI is quiet and quick: stderr has its own messages only, --help and --version load nothing (the built CLI)', () => {
  let dir: string;
  let hookPath: string;
  let otherWarningPath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-quiet-'));
    hookPath = join(dir, 'record-loaded-modules.mjs');
    otherWarningPath = join(dir, 'raise-another-warning.mjs');
    await writeFile(hookPath, recordLoadedModules);
    await writeFile(otherWarningPath, raiseAnotherWarning);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Runs the CLI with the module recorder; resolves with its result and the modules it loaded. */
  async function runRecorded(args: readonly string[]) {
    const log = join(dir, `loaded-${randomUUID()}.json`);
    const result = await runCli(args, { env: { ...process.env, NODE_OPTIONS: `--import=${hookPath}`, LOADED_MODULES_LOG: log } });
    const loaded = JSON.parse(await readFile(log, 'utf8')) as string[];
    return { ...result, loaded };
  }

  /** What --help and --version must not load: the services, any dependency, the records database. */
  const heavy = (loaded: readonly string[]) =>
    loaded.filter((url) => url === 'builtin:sqlite' || url.includes('/node_modules/') || /\/(node-runtime|settings-store|records-store)[-.]/.test(url));

  it('--help prints the usage and exits 0, with nothing on stderr, no data directory made, no services loaded', async () => {
    const dataDir = join(dir, 'help-data');
    const help = await runRecorded(['--help', '--data-dir', dataDir]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mail-settings <command> \[options\]/);
    expect(help.stdout).toContain('--keychain-file FILE');
    expect(help.stdout).toContain('--version');
    expect(help.stderr).toBe('');
    expect(await exists(dataDir)).toBe(false);
    expect(help.loaded.some((url) => url.endsWith('/out/main/cli.js'))).toBe(true);
    expect(heavy(help.loaded)).toEqual([]);
  });

  it('--version prints the version (with --json, as JSON) and loads no services', async () => {
    const dataDir = join(dir, 'version-data');
    const plain = await runRecorded(['--version', '--data-dir', dataDir]);
    expect(plain).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(heavy(plain.loaded)).toEqual([]);
    const json = await runCli(['--version', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ version: version });
    expect(json.stderr).toBe('');
    expect(await exists(dataDir)).toBe(false);
  });

  it('a usage error says only what is wrong, and loads no services', async () => {
    const dataDir = join(dir, 'usage-data');
    const unknown = await runRecorded(['frobnicate', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Unknown command “frobnicate”. Run mail-settings --help.\n');
    expect(heavy(unknown.loaded)).toEqual([]);
    const nothing = await runCli(['--data-dir', dataDir]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^Usage: mail-settings/);
    expect(await exists(dataDir)).toBe(false);
  });

  it('a command that opens the records database prints no SQLite ExperimentalWarning; other warnings still show', async () => {
    const dataDir = join(dir, 'records-data');
    const listed = await runRecorded(['records', 'list', '--inbox', 'lead', '--data-dir', dataDir]);
    expect(listed).toMatchObject({ code: 0, stdout: '[]\n', stderr: '' });
    // It did load SQLite and open the database: the warning had its chance to appear.
    expect(listed.loaded).toContain('builtin:sqlite');
    expect(await exists(join(dataDir, 'records.sqlite'))).toBe(true);

    const withOtherWarning = await runCli(['records', 'list', '--inbox', 'lead', '--data-dir', dataDir], {
      env: { ...process.env, NODE_OPTIONS: `--import=${otherWarningPath}` },
    });
    expect(withOtherWarning.code).toBe(0);
    expect(withOtherWarning.stderr).toContain('ExperimentalWarning: Some other feature is experimental');
    expect(withOtherWarning.stderr).not.toContain('SQLite');
  });

  describe('retrieve, whose worker thread opens the records database too', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'mail-settings-cli-quiet-retrieve-'));
    });
    afterAll(async () => {
      await clearKeychainOf(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    });

    it('retrieves with nothing on stderr', async () => {
      const user = await addUser(`cli-quiet-${randomUUID().slice(0, 8)}@example.test`);
      await writeToMaildir(user.email, webFormMessages(2, randomUUID()).map((m) => m.raw));
      const configured = await runCli(
        ['configure', 'lead', '--host', testbed().host, '--port', String(testbed().dovecot.ports.imap), '--security', 'starttls', '--user', user.email,
          '--password-stdin', '--json', '--data-dir', dataDir],
        { stdin: `${user.password}\n` },
      );
      expect(configured).toMatchObject({ code: 0, stderr: '' });
      const retrieved = await runCli(['retrieve', 'lead', '--json', '--data-dir', dataDir]);
      expect(retrieved.code).toBe(0);
      expect(JSON.parse(retrieved.lines.at(-1) ?? 'null')).toMatchObject({ ok: true, retrieved: 2 });
      expect(retrieved.stderr).toBe('');
    });
  });
});
