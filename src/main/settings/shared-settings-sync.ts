import type { Logger } from '../log/logger';
import type { RecordsStore } from '../records/records-store';
import type { SharedSetting } from '../records/shared-settings';
import { applySharedValue, isSharedSettingKey, localSharedValue, sharedKeyOfInbox, sharedSettingKeys, type SharedSettingKey } from './shared-setting-values';
import type { SettingsStore } from './settings-store';

/** Said when a save was made on settings another installation had changed meanwhile: theirs are kept. */
export const sharedSettingsConflictMessage = 'Another installation changed these settings; reopen to see them.';

export interface SharedSettingsSyncDeps {
  /** The local settings file itself: what the sync writes there is not pushed back. */
  readonly settings: SettingsStore;
  readonly records: () => Promise<RecordsStore>;
  /** This installation's readable name, written with each value it shares. */
  readonly installationName: string;
  readonly logger: Logger;
  /** Local settings were replaced by the shared ones (a pull, or a save refused): the windows and schedules follow. */
  readonly onPulled: (keys: readonly SharedSettingKey[], conflict: boolean) => Promise<void>;
}

export interface SharedSettingsSync {
  /** The settings store the services use: a save of a shared key is pushed to the database after it is written here. */
  readonly settings: SettingsStore;
  /** Takes the values other installations wrote into the local settings file (and, the first time, shares what only this one has). */
  pull(): Promise<void>;
  /** Pulls every `everyMs` until the returned function is called. */
  every(everyMs: number): () => void;
  /** Resolves once every queued push and pull is done (before the records close, before a CLI command exits). */
  settled(): Promise<void>;
  /** Whether this installation's last save of the key was refused for another's change; asking clears it. */
  takeConflict(key: SharedSettingKey): boolean;
}

/** JSON with the keys sorted, so that one value always reads the same whatever order its keys were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, nested: unknown) =>
    nested !== null && typeof nested === 'object' && !Array.isArray(nested)
      ? Object.fromEntries(Object.entries(nested as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : nested,
  );
}

/**
 * Team mode (a records database several installations share): the inboxes' configurations and Email
 * Integration are mirrored between the local settings file, which every part of the app reads
 * synchronously as before, and the database's shared_settings. A save here is written to the file, then
 * pushed with compare-and-set on the revision this installation last saw; if another installation wrote
 * the key meanwhile, the save is refused there, the other's value is pulled into the file, and the user
 * is told. Pulls run at start, every interval, and after each save. One step at a time, in order.
 */
export function createSharedSettingsMirror(deps: SharedSettingsSyncDeps): SharedSettingsSync {
  const raw = deps.settings;
  /** Per key, the shared value this installation last agreed with: its revision and canonical JSON. */
  const seen = new Map<SharedSettingKey, { readonly revision: number; readonly json: string }>();
  let highestSeen = 0;
  let pulledOnce = false;
  let queue: Promise<void> = Promise.resolve();
  const conflicted = new Set<SharedSettingKey>();

  const inTurn = (step: () => Promise<void>, what: string): Promise<void> => {
    queue = queue.then(step).catch((error: unknown) => {
      deps.logger.warn(`shared settings: the ${what} did not complete; trying again at the next one`, { message: error instanceof Error ? error.message : String(error) });
    });
    return queue;
  };

  /**
   * Writes a shared value into the file: 'same' when the file had it already, 'conflict' when the file
   * held a save not pushed yet (made while this pull ran), which the other installation's value replaces.
   */
  const take = (setting: SharedSetting & { readonly key: SharedSettingKey }): 'same' | 'taken' | 'conflict' => {
    const json = canonicalJson(setting.value);
    const known = seen.get(setting.key);
    seen.set(setting.key, { revision: setting.revision, json });
    highestSeen = Math.max(highestSeen, setting.revision);
    const local = canonicalJson(localSharedValue(raw, setting.key));
    if (local === json) return 'same';
    applySharedValue(raw, setting.key, setting.value);
    return known !== undefined && local !== known.json ? 'conflict' : 'taken';
  };

  const pullNow = async (): Promise<void> => {
    const shared = (await deps.records()).sharedSettings;
    const changed = (await shared.changedSince(highestSeen)).filter((row): row is SharedSetting & { key: SharedSettingKey } => isSharedSettingKey(row.key));
    const outcomes = changed.map((row) => ({ key: row.key, outcome: take(row) }));
    const taken = outcomes.filter(({ outcome }) => outcome === 'taken').map(({ key }) => key);
    const conflicts = outcomes.filter(({ outcome }) => outcome === 'conflict').map(({ key }) => key);
    if (!pulledOnce) {
      pulledOnce = true;
      // The first installation on a new shared database brings its settings with it.
      for (const key of sharedSettingKeys) if (!seen.has(key) && localSharedValue(raw, key, { forSeeding: true }) !== null) await pushNow(key);
    }
    if (taken.length > 0) {
      deps.logger.info('shared settings: took the changes another installation made', { keys: taken });
      await deps.onPulled(taken, false);
    }
    if (conflicts.length > 0) {
      for (const key of conflicts) conflicted.add(key);
      deps.logger.warn(`shared settings: ${sharedSettingsConflictMessage}`, { keys: conflicts });
      await deps.onPulled(conflicts, true);
    }
  };

  const pushNow = async (key: SharedSettingKey): Promise<void> => {
    const value = localSharedValue(raw, key);
    const json = canonicalJson(value);
    const known = seen.get(key);
    // Nothing the team shares changed (an Email Integration run's status, a save of the same values).
    if (value === null || known?.json === json) return;
    const outcome = await (await deps.records()).sharedSettings.write(key, value, known?.revision ?? 0, deps.installationName);
    if (outcome.written) {
      seen.set(key, { revision: outcome.revision, json });
      conflicted.delete(key);
      return;
    }
    if (outcome.current && canonicalJson(outcome.current.value) === json) {
      // Another installation saved the very same values first (both deleted one alias): nothing to refuse.
      take({ ...outcome.current, key });
      conflicted.delete(key);
      return;
    }
    conflicted.add(key);
    if (outcome.current) take({ ...outcome.current, key });
    deps.logger.warn(`shared settings: ${sharedSettingsConflictMessage}`, { key, changedBy: outcome.current?.updatedBy ?? null });
    await deps.onPulled([key], true);
  };

  const pushed = (key: SharedSettingKey): void => {
    void inTurn(async () => {
      await pushNow(key);
      await pullNow();
    }, 'save');
  };

  const settings: SettingsStore = {
    ...raw,
    setMailbox(mailbox, value) {
      raw.setMailbox(mailbox, value);
      if (mailbox === 'lead' || mailbox === 'serviceDesk') pushed(sharedKeyOfInbox[mailbox]);
    },
    setIntegrations(integrations) {
      raw.setIntegrations(integrations);
      pushed('integrations');
    },
  };

  return {
    settings,
    pull: () => inTurn(pullNow, 'pull'),
    every: (everyMs) => {
      const timer = setInterval(() => void inTurn(pullNow, 'pull'), everyMs);
      // The app's other work keeps it running; the pulls alone must not keep a CLI alive.
      timer.unref();
      return () => clearInterval(timer);
    },
    takeConflict: (key) => conflicted.delete(key),
    settled: async () => {
      // A step may queue another (a save's pull); wait until the queue stops growing.
      for (let current = queue; ; current = queue) {
        await current;
        if (current === queue) return;
      }
    },
  };
}
