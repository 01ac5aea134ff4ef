import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliBuild, staleBuildReason, type BuildLayout } from '../support/build-freshness';

/** Times set with utimes, so nothing depends on when the test runs or how fast the disk is. */
const builtAt = new Date('2026-03-01T12:00:00Z');
const before = new Date('2026-03-01T11:00:00Z');
const after = new Date('2026-03-01T13:00:00Z');

describe('a CLI test refuses a build older than the sources', () => {
  let root: string;
  let layout: BuildLayout;
  const file = async (path: string, modified: Date): Promise<void> => {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), 'x');
    await utimes(join(root, path), modified, modified);
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mail-settings-build-freshness-'));
    layout = { root, builtEntry: 'out/main/cli.js', sourceDirs: ['src/main', 'src/shared'] };
    await file('src/main/cli/main.ts', before);
    await file('src/shared/errors.ts', before);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('accepts a build newer than every source file', async () => {
    await file('out/main/cli.js', builtAt);
    expect(await staleBuildReason(layout)).toBeNull();
  });

  it('accepts a build as new as the newest source (one file system tick)', async () => {
    await file('src/main/cli/main.ts', builtAt);
    await file('out/main/cli.js', builtAt);
    expect(await staleBuildReason(layout)).toBeNull();
  });

  it('names the source changed after the build, however deep, and how to rebuild', async () => {
    await file('out/main/cli.js', builtAt);
    await file('src/main/secrets/deep/store.ts', after);
    expect(await staleBuildReason(layout)).toBe(
      `The built CLI (out/main/cli.js) is older than src/main/secrets/deep/store.ts (changed ${after.toISOString()}): run \`npx electron-vite build\` (npm test builds first).`,
    );
  });

  it('looks in every source folder (src/shared too)', async () => {
    await file('out/main/cli.js', builtAt);
    await file('src/shared/contract.ts', after);
    expect(await staleBuildReason(layout)).toContain('older than src/shared/contract.ts');
  });

  it('ignores files outside the source folders', async () => {
    await file('out/main/cli.js', builtAt);
    await file('src/renderer/App.tsx', after);
    await file('README.md', after);
    expect(await staleBuildReason(layout)).toBeNull();
  });

  it('says the CLI is not built when the entry is missing', async () => {
    expect(await staleBuildReason(layout)).toBe('The CLI is not built (out/main/cli.js is missing): run `npx electron-vite build` (npm test builds first).');
  });

  it('watches the file bin/mail-settings.js loads, built from a source in the watched folders', async () => {
    const bin = await readFile(join(cliBuild.root, 'bin/mail-settings.js'), 'utf8');
    expect(bin).toContain(`from '../${cliBuild.builtEntry}'`);
    const viteConfig = await readFile(join(cliBuild.root, 'electron.vite.config.ts'), 'utf8');
    const cliSource = /cli: resolve\(import\.meta\.dirname, '([^']+)'\)/.exec(viteConfig)?.[1] ?? '';
    expect(cliBuild.sourceDirs.some((dir) => cliSource.startsWith(`${dir}/`))).toBe(true);
  });
});
