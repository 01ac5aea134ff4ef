import { z } from 'zod';

/**
 * Where the records are kept (issue 16): the database built into this installation, or a PostgreSQL
 * database a team shares. The choice is saved in the settings (the address without its password; the
 * password in the keychain) and takes effect when Mail Settings next starts.
 */
export const recordsDatabaseChoices = ['builtIn', 'postgres'] as const;
export type RecordsDatabaseChoice = (typeof recordsDatabaseChoices)[number];

export const recordsDatabaseLabels = {
  title: 'Records database',
  choice: 'Keep the records in',
  builtIn: 'This computer (built-in)',
  postgres: 'Shared PostgreSQL database',
  url: 'Database address',
  password: 'Database password',
} as const;

/** What the dialog says once a choice is saved: switching under running windows is not worth its risk. */
export const takesEffectOnRestart = 'It takes effect when Mail Settings restarts.';

/** The password of the PostgreSQL user: the one stored in the keychain, or a new one (empty: none). */
export const databasePasswordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }).strict(),
  z.object({ kind: z.literal('set'), value: z.string().max(1024, 'The password is too long: keep it under 1024 characters.') }).strict(),
]);
export type DatabasePasswordChange = z.infer<typeof databasePasswordSchema>;

/** Test and Save: the form's values. A password written into the address counts as a new password. */
export const recordsDatabaseFormSchema = z.discriminatedUnion('choice', [
  z.object({ choice: z.literal('builtIn') }).strict(),
  z
    .object({
      choice: z.literal('postgres'),
      url: z.string().trim().min(1, 'Enter the address of the PostgreSQL database.').max(2048, 'The address is too long: keep it under 2048 characters.'),
      password: databasePasswordSchema,
    })
    .strict(),
]);
export type RecordsDatabaseForm = z.input<typeof recordsDatabaseFormSchema>;

/** Where the records are read and written by the running app, and what chose it. */
export type RecordsDatabaseInUse =
  | { readonly kind: 'builtIn'; readonly file: string }
  | {
      readonly kind: 'postgres';
      /** The address with its password replaced by ***. */
      readonly url: string;
      /** `--database`, MAIL_SETTINGS_DATABASE_URL, or the saved setting. */
      readonly source: 'commandLine' | 'environment' | 'settings';
    };

/** The dialog's view. Never a password: only whether one is stored. */
export interface RecordsDatabaseView {
  /** What the settings hold (used from the next start on). */
  readonly saved: { readonly choice: 'builtIn' } | { readonly choice: 'postgres'; readonly url: string; readonly passwordStored: boolean };
  readonly inUse: RecordsDatabaseInUse;
  /** A sentence when what is saved is not what is used now (a restart is due, or the environment overrides it). */
  readonly note: string | null;
}

/** Save's answer: the new view and what happens next. */
export interface RecordsDatabaseSaved extends RecordsDatabaseView {
  readonly message: string;
}
