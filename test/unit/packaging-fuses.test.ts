import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the packaged app’s Electron fuses (electron-builder.yml)', () => {
  it('give file:// pages no extra privileges, since the window is served from app://', async () => {
    // electron-builder's own loader: the file as packaging will read it (scripts/validate-builder-config.mjs checks the schema).
    const { getConfig } = (await import('app-builder-lib/out/util/config/config.js')) as { getConfig: (dir: string, file: string, extra: null) => Promise<{ electronFuses?: Record<string, boolean> }> };
    const config = await getConfig(join(import.meta.dirname, '../..'), 'electron-builder.yml', null);
    expect(config.electronFuses).toMatchObject({ grantFileProtocolExtraPrivileges: false, runAsNode: false, onlyLoadAppFromAsar: true });
  });
});
