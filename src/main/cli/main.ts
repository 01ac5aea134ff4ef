import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { ErrorCode } from '../../shared/errors';
import { inboxIds, mailboxCliNames } from '../../shared/mailboxes';
import { redact, SecretRegistry } from '../log/redact';
import { dataDirEnvVar, defaultDataDir } from '../platform/data-dir';
import { reportFailure, type CliContext } from './cli-context';
import { keychainCredentialName } from '../secrets/keychain-passphrase';
import { databaseUrlEnvVar, passwordInDatabaseUrl } from '../records/records-database-url';
import { SecretEntryCancelled } from './read-secret';

const usage = `Usage: mail-settings <command> [options]

Commands:
  status                      How mail is set up (Send Direct, keychain).
  sign-in <mailbox> --provider office365|google|oidc
          [--issuer URL] [--client-id ID] [--client-secret-stdin] [--tenant T]
          [--login-hint EMAIL] [--no-browser]
                              Sign a mailbox in with Modern Authentication (OAuth 2.0), in the
                              system browser (or, with --no-browser, print the link only).
                              <mailbox>: send, lead, service-desk, or integration:ID for an
                              Email Integration mailbox on Modern Authentication (administrators).
                              A client secret is read from standard input (typed without echo
                              on a terminal), or taken from MAIL_SETTINGS_GOOGLE_CLIENT_SECRET or
                              MAIL_SETTINGS_OIDC_CLIENT_SECRET; never from the command line.
  accounts [--check]          Each mailbox's sign-in; --check tries a silent refresh first.
  reset <mailbox>             Sign a mailbox out and remove its tokens from the keychain.
  configure send --host H --port P --security none|starttls|tls --user U
          --sender-name N --sender-address A [--auth password|oauth-office365|oauth-google]
          [--password-stdin] [--allow-insecure-auth]
                              Set up Send Direct; the password is read from standard input.
                              --allow-insecure-auth lets the password go unencrypted with
                              --security none (otherwise it is never sent in clear text).
  configure lead|service-desk --host H [--port P] [--security tls|starttls|none] --user U
          [--password-stdin] [--record-type T] [--allow-insecure-auth]
          [--auth password|oauth-office365|oauth-google] [--shared-mailbox ADDRESS]
          [--folder NAME] [--check-every MINUTES] [--keep-on-server on|off]
                              Set up the Lead Inbox or the Service Desk Inbox (IMAP). The port
                              follows --security: 993 with tls (the default), 143 otherwise.
                              --record-type is the activity type of the records (default
                              "Web Lead"; "Service Desk" for the Service Desk Inbox).
                              --shared-mailbox (with --auth oauth-office365) reads an Office 365
                              shared mailbox: --user is a member with Full Access, who signs in.
                              --folder is the folder emptied (default INBOX), when a rule
                              files the mail elsewhere.
                              --check-every is how often the open app checks (1-1440 minutes,
                              default 5); --keep-on-server on leaves messages on the server and
                              takes only new ones (see reset-counter).
  test-connection send|lead|service-desk
                              Connect, secure, sign in and quit, sending or reading nothing.
  retrieve lead|service-desk  Empty the inbox's mailbox into records (for cron or a timer):
                              each message is kept, then removed from the server. With --json
                              the last line is {"ok":true,"retrieved":N,...} or
                              {"ok":false,"error":{...}}; exit 0 only on success.
  reset-counter lead|service-desk
                              Reset mailbox counter: an inbox that leaves messages on the server
                              reads the whole mailbox again at its next check, creating only the
                              records that are missing. Administrators only (admin sign-in).
  admin create --email E --password-stdin
                              Create the first administrator of this data directory; then:
  admin 2fa setup --email E --password-stdin
                              Set up two-factor authentication: a QR code and a setup key for an
                              authenticator app (--json: {"ok":true,"otpauthUri":...,"setupKey":...}).
  admin 2fa verify --email E --code C [--password-stdin]
                              Turn 2FA on with the app's security number; prints the recovery
                              codes once, and signs in. With a shared records database the
                              password too: the team's administrators live in that database.
  admin sign-in --email E --password-stdin --code C
                              Sign in as an administrator (the code: the app's security number or
                              a recovery code). The session lasts 15 minutes, renewed by each
                              administrator command, in the keychain, for this data directory.
                              Administrators only: reset-counter, and configure lead|service-desk
                              once an administrator exists. Each number works once; 5 wrong
                              attempts lock the administrator out for a while.
  admin sign-out              End the administrator session.
  integration list            System Admin › Email Integration: every mailbox credential (Send
                              Direct, the inboxes, added integration mailboxes) with its status.
  integration add --mailbox M --host H [--port 993] [--secure on|off] --name N
          --description D [--password-stdin] [--auth password|oauth-office365|oauth-google]
                              Add an integration mailbox (--name: the Configuration Name shown in
                              lists). --secure on (the default): IMAP over SSL/TLS; off: STARTTLS.
                              With --auth oauth-…, sign it in next: sign-in integration:ID.
                              Its own address becomes its default alias (to the Lead Inbox).
  integration show ID         One credential and its aliases; never its password.
  integration change-password ID --password-stdin
                              New Password and Confirm Password, one per line on standard input
                              (two prompts on a terminal); they must match.
  integration test ID [--password-stdin]
                              Test Connection with the stored (or a given) password.
  integration delete ID       Delete a credential with its own alias and password; refused while
                              other aliases use it (they are named).
  integration retrieve ID     Empty the integration mailbox into records, each message routed by
                              its alias (also: retrieve integration:ID).
  alias list [--credential ID]
                              The aliases that route mail arriving in integration mailboxes.
  alias add --address A --credential ID --target lead --activity-type T [--owner O]
  alias add --address A --credential ID --target service-desk --queue Q
                              Route mail delivered to A (To / Delivered-To) in that mailbox.
  alias delete ALIAS_ID       Delete an alias (a mailbox's own alias goes with the mailbox).
                              integration add, delete, change-password and alias add, delete are
                              for administrators once one exists (admin sign-in).
  serve [--interval 5m] [--ui]
                              Run as a service: empty every inbox that is set up each interval
                              (30s, 5m, 1h; at least 1s) and check the sign-ins, one log line per
                              event on stdout. SIGTERM or Ctrl-C stops it after the batch in hand
                              (exit 0); a second one stops it at once. --ui also serves the web UI.
                              With a shared database, one installation empties each mailbox; if
                              it stops, another takes over once its claim expires:
                              $MAIL_SETTINGS_LEASE_TTL_SECONDS, 2-3600, default 60.
  records list --inbox lead|service-desk [--limit N]
                              The inbox's records, most recent first, as one JSON array.
  records raw ID              The original message of a record, byte for byte, on stdout.
  records quarantine --inbox lead|service-desk
                              Messages left on the server because they could not be kept (too
                              large, refused by the server), with the reason, as one JSON array.
  database migrate --to postgres://USER@HOST:5432/DATABASE
                              Copy this data directory's records into a shared PostgreSQL
                              database: a second run copies nothing twice, an interrupted one
                              completes. Copies only: this installation keeps its own records
                              until pointed at the database (--database). The password is best
                              left out of the address and set in PGPASSWORD. Administrators only
                              once one exists.
  send --to X [--to Y] --subject S --html-file F [--attach F] [--activity-note]
                              Send a message with Send Direct; local images in the HTML are
                              embedded; --activity-note keeps a copy as an activity note.
  ui [--port P] [--no-open]   The Mail Settings window in your browser, on this computer only
                              (127.0.0.1), until Ctrl-C. The address holds a secret of this
                              launch; it is printed (--json: {"url":"..."}) and opened in the
                              browser unless --no-open.

Mailboxes: send (Send Direct), lead (Lead Inbox), service-desk (Service Desk Inbox).

Options for every command:
  --data-dir DIR              The data directory (settings, records, logs). Default: $${dataDirEnvVar},
                              else the folder the desktop app uses.
  --database URL              Keep the records in a shared PostgreSQL database
                              (postgres://USER:PASSWORD@HOST:5432/DATABASE) instead of the data
                              directory. Default: $${databaseUrlEnvVar}, else the database chosen
                              in the app (Records database), else the data directory. A password
                              on the command line is visible to other users (ps): put the address
                              in $${databaseUrlEnvVar} instead.
  --json                      Print JSON instead of text.
  --keychain-file FILE        Keep passwords and sign-ins in FILE, encrypted, instead of the system
                              keychain (a server without a desktop session). The passphrase is read
                              from --keychain-passphrase-file F (readable by you only), else from
                              $CREDENTIALS_DIRECTORY/${keychainCredentialName} (systemd LoadCredential=);
                              never from the command line or a plain environment variable.
  -h, --help                  Show this help.
  --version                   Show the version of Mail Settings.
`;

type Command = (context: CliContext, args: readonly string[]) => Promise<number>;

/**
 * A command whose module is loaded when it runs, so `--help`, `--version` and a mistyped command load no
 * services and no records database, and answer at once.
 */
function lazy<Module>(load: () => Promise<Module>, pick: (module: Module) => Command): Command {
  return async (context, args) => pick(await load())(context, args);
}

const sendDirectCommands = () => import('./commands/send-direct-commands');
const inboxCommands = () => import('./commands/inbox-commands');
const accountsCommands = () => import('./commands/accounts-command');

const commands: Record<string, Command> = {
  status: lazy(() => import('./commands/status-command'), (m) => m.statusCommand),
  'sign-in': lazy(() => import('./commands/sign-in-command'), (m) => m.signInCommand),
  accounts: lazy(accountsCommands, (m) => m.accountsCommand),
  reset: lazy(accountsCommands, (m) => m.resetCommand),
  configure: (context, args) =>
    (isInboxFirst(args) ? lazy(inboxCommands, (m) => m.configureInboxCommand) : lazy(sendDirectCommands, (m) => m.configureCommand))(context, args),
  'test-connection': (context, args) =>
    (isInboxFirst(args) ? lazy(inboxCommands, (m) => m.testInboxConnectionCommand) : lazy(sendDirectCommands, (m) => m.testConnectionCommand))(context, args),
  retrieve: lazy(inboxCommands, (m) => m.retrieveCommand),
  'reset-counter': lazy(() => import('./commands/reset-counter-command'), (m) => m.resetCounterCommand),
  admin: lazy(() => import('./commands/admin-commands'), (m) => m.adminCommand),
  integration: lazy(() => import('./commands/integration-commands'), (m) => m.integrationCommand),
  alias: lazy(() => import('./commands/alias-commands'), (m) => m.aliasCommand),
  records: lazy(() => import('./commands/records-commands'), (m) => m.recordsCommand),
  database: lazy(() => import('./commands/database-command'), (m) => m.databaseCommand),
  send: lazy(sendDirectCommands, (m) => m.sendCommand),
  serve: lazy(() => import('./commands/serve-command'), (m) => m.serveCommand),
  ui: lazy(() => import('./commands/ui-command'), (m) => m.uiCommand),
};

/** `configure lead …`: the mailbox comes first, and names an inbox rather than Send Direct. */
function isInboxFirst(args: readonly string[]): boolean {
  return inboxIds.some((inbox) => mailboxCliNames[inbox] === args[0]);
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function writeToStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/** Runs the CLI and resolves with its exit code. Output goes through the given writers (tests use them). */
export async function runCli(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
  err: (text: string) => void = (t) => process.stderr.write(t),
  env: NodeJS.ProcessEnv = process.env,
  outBytes: (bytes: Uint8Array) => Promise<void> = writeToStdout,
): Promise<number> {
  // Options every command shares are taken out first; the rest belongs to the command.
  let shared;
  try {
    shared = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: false,
      options: {
        'data-dir': { type: 'string' },
        database: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
        'keychain-file': { type: 'string' },
        'keychain-passphrase-file': { type: 'string' },
      },
      tokens: true,
    });
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const { values, tokens } = shared;
  const sharedNames = new Set(['data-dir', 'database', 'json', 'help', 'h', 'version', 'keychain-file', 'keychain-passphrase-file']);
  const rest: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') rest.push(token.value);
    else if (token.kind === 'option' && !sharedNames.has(token.name)) rest.push(token.inlineValue ? `${token.rawName}=${token.value ?? ''}` : token.rawName);
    else if (token.kind === 'option-terminator') rest.push('--');
  }
  const [command, ...commandArgs] = rest;
  if (values.version === true && values.help !== true) {
    out(values.json === true ? `${JSON.stringify({ version })}\n` : `${version}\n`);
    return 0;
  }
  if (values.help === true || command === undefined) {
    (values.help === true ? out : err)(usage);
    return values.help === true ? 0 : 2;
  }
  const context: CliContext = {
    json: values.json === true,
    dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : (env[dataDirEnvVar] ?? defaultDataDir(env)),
    out,
    outBytes,
    err,
    env,
    secrets: new SecretRegistry(),
    keychainFile: typeof values['keychain-file'] === 'string' ? { path: values['keychain-file'], passphraseFile: stringOrNull(values['keychain-passphrase-file']) } : null,
    databaseUrl: stringOrNull(values.database),
  };
  const passwordOnCommandLine = context.databaseUrl === null ? null : passwordInDatabaseUrl(context.databaseUrl);
  if (passwordOnCommandLine !== null) {
    context.secrets.remember(passwordOnCommandLine);
    err(`Warning: the password in --database can be read by other users of this computer (ps shows command lines). Put the address in ${databaseUrlEnvVar} instead.\n`);
  }
  if (context.keychainFile === null && typeof values['keychain-passphrase-file'] === 'string') {
    err(`--keychain-passphrase-file goes with --keychain-file FILE.\n\n${usage}`);
    return 2;
  }
  const run = commands[command];
  if (!run) return reportFailure(context, { code: ErrorCode.InvalidInput, message: `Unknown command “${command}”. Run mail-settings --help.` });
  try {
    return await run(context, commandArgs);
  } catch (error) {
    // parseArgs of a command: an unknown option or a missing value.
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      err(`${redact(error.message, context.secrets.values())}\n\n${usage}`);
      return 2;
    }
    // Ctrl-C at a password prompt: the shell's convention for "interrupted" (128 + SIGINT).
    if (error instanceof SecretEntryCancelled) {
      err(`${error.message}\n`);
      return 130;
    }
    // Anything else is a bug: said as bin/mail-settings.js says it (exit 70, EX_SOFTWARE in sysexits.h),
    // but without the secrets this run has seen.
    err(`Mail Settings failed unexpectedly: ${redact(error instanceof Error ? error.message : String(error), context.secrets.values())}\n`);
    return 70;
  }
}
