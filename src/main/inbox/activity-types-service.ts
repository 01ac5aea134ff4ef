import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import type { ActivityTypeView } from '../../shared/inbox';
import { inboxIds, mailboxNames, type InboxId } from '../../shared/mailboxes';
import { guarded } from '../guarded';
import type { ActivityTypeRow } from '../records/activity-type-records';
import type { RecordsStore } from '../records/records-store';
import type { SettingsStore } from '../settings/settings-store';

export interface ActivityTypesDeps {
  readonly records: () => Promise<RecordsStore>;
  readonly settings: Pick<SettingsStore, 'getMailbox' | 'setMailbox'>;
  readonly now: () => Date;
  /** Told when a rename changed an inbox's saved Type, so its dialog shows the new name. */
  readonly onInboxChanged: (inbox: InboxId) => Promise<void>;
}

/** Send Direct keeps its sent messages as notes of this type, by this name (send-direct-mailer.ts). */
export const sentEmailType = 'Email Sent';

function refused(message: string, fix?: string): AppError {
  return { code: ErrorCode.ActivityTypeRefused, message, ...(fix ? { fix } : {}), fieldErrors: { name: message } };
}

/**
 * The Type manager (the gear beside RECORD CREATION's Type): add, rename, retire. A type that records use
 * is never deleted, only retired (kept for them, no longer offered); one an inbox gives its records, or
 * Send Direct's "Email Sent", stays until nothing depends on it.
 */
export function createActivityTypesService(deps: ActivityTypesDeps) {
  /** The inboxes whose saved settings give their records this type. */
  function inboxesUsing(name: string): InboxId[] {
    return inboxIds.filter((inbox) => deps.settings.getMailbox(inbox)?.recordType.toLowerCase() === name.toLowerCase());
  }

  function viewOf(row: ActivityTypeRow): ActivityTypeView {
    return { id: row.id, name: row.name, retired: row.retired, inUse: row.noteCount > 0 || inboxesUsing(row.name).length > 0 || row.name === sentEmailType };
  }

  async function list(): Promise<ActivityTypeView[]> {
    return (await (await deps.records()).types.list()).map(viewOf);
  }

  return {
    list: () => guarded(list),

    async add(name: string): Promise<Result<ActivityTypeView[]>> {
      const { types } = await deps.records();
      const existing = await types.byName(name);
      if (existing && !existing.retired) return fail(refused(`There is already a type called “${existing.name}”.`));
      // A retired type of that name comes back, with its records, rather than a second one beside it.
      if (existing) await types.restore(existing.id);
      else await types.add(name);
      return guarded(list);
    },

    async rename(id: number, name: string): Promise<Result<ActivityTypeView[]>> {
      const { types } = await deps.records();
      const type = await types.byId(id);
      if (!type) return fail(refused('This activity type no longer exists.'));
      if (type.name === sentEmailType) return fail(refused(`“${sentEmailType}” is the type of Send Direct’s sent messages, so it keeps its name.`));
      const clash = await types.byName(name);
      if (clash && clash.id !== id) return fail(refused(`There is already a type called “${clash.name}”.`));
      const inboxes = inboxesUsing(type.name);
      await types.rename(id, name);
      // The inboxes name their Type: a saved Type follows the rename, so their records keep getting it.
      const renamed = await guarded(async () => {
        for (const inbox of inboxes) {
          const saved = deps.settings.getMailbox(inbox);
          if (saved) deps.settings.setMailbox(inbox, { ...saved, recordType: name });
        }
      });
      if (!renamed.ok) return renamed;
      for (const inbox of inboxes) await deps.onInboxChanged(inbox);
      return guarded(list);
    },

    async retire(id: number): Promise<Result<ActivityTypeView[]>> {
      const { types } = await deps.records();
      const type = await types.byId(id);
      if (!type) return fail(refused('This activity type no longer exists.'));
      if (type.name === sentEmailType) return fail(refused(`“${sentEmailType}” is the type of Send Direct’s sent messages, so it cannot be retired.`));
      const inboxes = inboxesUsing(type.name);
      if (inboxes.length > 0) {
        const names = inboxes.map((inbox) => `the ${mailboxNames[inbox]}`).join(' and ');
        return fail(refused(`${names.charAt(0).toUpperCase()}${names.slice(1)} gives its records the type “${type.name}”.`, 'Choose another Type for it and save, then retire this one.'));
      }
      await types.retire(id, deps.now());
      return ok(await list());
    },
  };
}

export type ActivityTypesService = ReturnType<typeof createActivityTypesService>;
