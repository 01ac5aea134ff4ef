import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Runtime } from '../../src/main/node-runtime';
import type { EventName, EventPayloads } from '../../src/shared/contract';
import { clearKeychainOf } from './data-dir-keychain';
import { startLocalRuntime } from './local-runtime';
import { createTestDatabase, type TestDatabase } from './postgres-database';

/**
 * Team mode (issue 16) in a test file: a fresh shared database per test, and installations on it, each
 * with its own data directory and keychain, stopped and removed after the test. Installations pull only
 * at start and after their own saves: the test decides who has seen what (`synced`).
 */

export interface TeamInstallation {
  readonly dataDir: string;
  readonly runtime: Runtime;
  readonly events: Array<{ readonly event: EventName; readonly payload: unknown }>;
}

export interface Team {
  /** This test's shared database. */
  database(): TestDatabase;
  installation(name: string): Promise<TeamInstallation>;
}

/** Registers the per-test database and clean-up; call at the top of a test file. */
export function useTeam(): Team {
  let database: TestDatabase | undefined;
  const installations: TeamInstallation[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    for (const { dataDir, runtime } of installations.splice(0)) {
      await runtime.stop();
      await clearKeychainOf(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
    await database?.drop();
  });

  const current = (): TestDatabase => {
    if (!database) throw new Error('The team database exists only inside a test');
    return database;
  };

  return {
    database: current,
    installation: async (name) => {
      const dataDir = await mkdtemp(join(tmpdir(), `mail-settings-team-${name}-`));
      const runtime = await startLocalRuntime(dataDir, { databaseUrl: current().url, sharedSettingsEveryMs: 0 });
      const events: TeamInstallation['events'] = [];
      runtime.services.events.subscribe((event, payload) => events.push({ event, payload }));
      const started = { dataDir, runtime, events };
      installations.push(started);
      return started;
    },
  };
}

/** What each installation's saves pushed, and what `pull` brings, are done. */
export async function synced(...each: TeamInstallation[]): Promise<void> {
  for (const { runtime } of each) {
    await runtime.services.sharedSettings?.settled();
    await runtime.services.sharedSettings?.pull();
  }
}

/** The payloads of one event an installation's windows were sent, oldest first. */
export function eventsOf<E extends EventName>(installed: TeamInstallation, event: E): Array<EventPayloads[E]> {
  return installed.events.filter((seen) => seen.event === event).map((seen) => seen.payload as EventPayloads[E]);
}
