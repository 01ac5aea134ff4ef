import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import {
  recordsDatabaseFormSchema,
  takesEffectOnRestart,
  type RecordsDatabaseForm,
  type RecordsDatabaseSaved,
  type RecordsDatabaseView,
} from '../../shared/records-database';
import { guarded } from '../guarded';
import type { SecretRegistry } from '../log/redact';
import { secretAccounts, type SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { postgresAppError } from './postgres/postgres-errors';
import { openPostgresRecordsStore } from './postgres/postgres-records-store';
import { parseDatabaseUrl, type DatabaseAddress } from './postgres/postgres-url';
import { databaseUrlEnvVar, splitDatabasePassword, withDatabasePassword } from './records-database-url';
import type { ResolvedRecordsLocation } from './records-location';

export interface RecordsDatabaseSettingsDeps {
  readonly settings: Pick<SettingsStore, 'getRecordsDatabase' | 'setRecordsDatabase'>;
  readonly secrets: SecretStore;
  readonly secretRegistry: SecretRegistry;
  /** What this process opened at its start: it stays in use until the app restarts. */
  readonly inUse: ResolvedRecordsLocation;
  /** Opens the database at the address (migrating it) and closes it: Test, and Save before saving. */
  readonly tryDatabase?: (url: string) => Promise<void>;
}

/** A PostgreSQL address to connect to, password included, and what to keep of it. */
interface Candidate {
  readonly connectUrl: string;
  readonly address: DatabaseAddress;
  /** For the settings file: no password. */
  readonly storedUrl: string;
  readonly password: string | null;
}

async function openAndClose(url: string): Promise<void> {
  await (await openPostgresRecordsStore(url)).close();
}

/** The same server, port, user and database: where a stored password may still go (never to another server). */
function sameDestination(a: string, b: string): boolean {
  const destination = (text: string): string | null => {
    try {
      const url = new URL(text);
      return [url.hostname.toLowerCase(), url.port || '5432', url.username, url.pathname, url.searchParams.get('host') ?? ''].join('\n');
    } catch {
      return null;
    }
  };
  const first = destination(a);
  return first !== null && first === destination(b);
}

/** A failure about the address: shown under the Database address field and in the dialog's message. */
function aboutUrl(error: AppError): AppError {
  return { ...error, fieldErrors: { ...error.fieldErrors, url: error.message } };
}

/**
 * The app's "Records database" setting (issue 16): the built-in database, or a shared PostgreSQL one.
 * The address goes into the settings file without its password, the password into the keychain. A
 * PostgreSQL database is tried (connected to, its tables created or brought up to date) before it is
 * saved. The choice takes effect at the next start: the windows keep the records they opened.
 */
export function createRecordsDatabaseSettings(deps: RecordsDatabaseSettingsDeps) {
  const { settings, secrets } = deps;
  const tryDatabase = deps.tryDatabase ?? openAndClose;

  async function view(): Promise<RecordsDatabaseView> {
    const saved = settings.getRecordsDatabase();
    const inUse = deps.inUse.inUse;
    const savedView: RecordsDatabaseView['saved'] = saved
      ? { choice: 'postgres', url: saved.url, passwordStored: (await secrets.get(secretAccounts.databasePassword)) !== null }
      : { choice: 'builtIn' };
    return { saved: savedView, inUse, note: noteOn(savedView, inUse) };
  }

  function noteOn(saved: RecordsDatabaseView['saved'], inUse: RecordsDatabaseView['inUse']): string | null {
    if (inUse.kind === 'postgres' && inUse.source !== 'settings') {
      return `${inUse.source === 'environment' ? databaseUrlEnvVar : 'The --database option'} chooses the records database of this run (${inUse.url}): it is used instead of this setting while it is set.`;
    }
    const same = saved.choice === 'builtIn' ? inUse.kind === 'builtIn' : inUse.kind === 'postgres' && sameDestination(saved.url, inUse.url);
    return same ? null : `The setting saved differs from the records database in use now. ${takesEffectOnRestart}`;
  }

  async function candidateOf(form: Extract<RecordsDatabaseForm, { choice: 'postgres' }>): Promise<Result<Candidate>> {
    const parsed = parseDatabaseUrl(form.url);
    if (!parsed.ok) return fail(aboutUrl(parsed.error));
    const inAddress = splitDatabasePassword(parsed.address.url);
    let password = inAddress.password;
    if (form.password.kind === 'set') password = form.password.value === '' ? password : form.password.value;
    else if (password === null) {
      // The stored password goes only where it was saved for.
      const saved = settings.getRecordsDatabase();
      if (saved && sameDestination(saved.url, inAddress.url)) password = await secrets.get(secretAccounts.databasePassword);
    }
    deps.secretRegistry.remember(password);
    const connectUrl = withDatabasePassword(inAddress.url, password);
    const address = parseDatabaseUrl(connectUrl);
    if (!address.ok) return fail(aboutUrl(address.error));
    return ok({ connectUrl, address: address.address, storedUrl: inAddress.url, password });
  }

  async function tried(candidate: Candidate): Promise<Result<void>> {
    try {
      await tryDatabase(candidate.connectUrl);
      return ok(undefined);
    } catch (error) {
      // postgresAppError passes a PostgresRecordsError's own account through.
      return fail(aboutUrl(postgresAppError(error, candidate.address)));
    }
  }

  function invalid(message: string): AppError {
    return { code: ErrorCode.InvalidInput, message };
  }

  return {
    get: (): Promise<Result<RecordsDatabaseView>> => guarded(view),

    /** Test: connects with the form's values and says whether the database can keep the records. */
    async test(input: RecordsDatabaseForm): Promise<Result<{ message: string }>> {
      const form = recordsDatabaseFormSchema.safeParse(input);
      if (!form.success) return fail(invalid(form.error.issues[0]?.message ?? 'The form is not complete.'));
      if (form.data.choice === 'builtIn') return ok({ message: 'The built-in records database is always available on this computer.' });
      const candidate = await candidateOf(form.data);
      if (!candidate.ok) return candidate;
      const result = await tried(candidate.value);
      if (!result.ok) return result;
      return ok({ message: `Mail Settings connected to ${candidate.value.address.redacted} and can keep the records there.` });
    },

    /** Save: tried first; then the address into the settings, the password into the keychain. */
    async save(input: RecordsDatabaseForm): Promise<Result<RecordsDatabaseSaved>> {
      const form = recordsDatabaseFormSchema.safeParse(input);
      if (!form.success) return fail(invalid(form.error.issues[0]?.message ?? 'The form is not complete.'));
      if (form.data.choice === 'builtIn') {
        return guarded(async () => {
          settings.setRecordsDatabase(null);
          await secrets.delete(secretAccounts.databasePassword);
          return { ...(await view()), message: `Saved: the records will be kept on this computer. ${takesEffectOnRestart}` };
        });
      }
      const candidate = await candidateOf(form.data);
      if (!candidate.ok) return candidate;
      const result = await tried(candidate.value);
      if (!result.ok) return result;
      const { storedUrl, password } = candidate.value;
      return guarded(async () => {
        // The keychain first: a settings file pointing at a database whose password was not kept would fail at the next start.
        if (password === null || password === '') await secrets.delete(secretAccounts.databasePassword);
        else await secrets.set(secretAccounts.databasePassword, password);
        settings.setRecordsDatabase({ url: storedUrl });
        return { ...(await view()), message: `Saved: the records will be kept in the shared database ${storedUrl}. ${takesEffectOnRestart}` };
      });
    },
  };
}

export type RecordsDatabaseSettings = ReturnType<typeof createRecordsDatabaseSettings>;
