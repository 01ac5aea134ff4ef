import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { fieldErrorsOf, sendDirectLabels, sendDirectSettingsSchema, type PasswordChange, type SendDirectField } from '../../../shared/send-direct';
import { testEmailSchema } from '../../../shared/test-email';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

function invalid(context: CliContext, error: AppError): Promise<number> {
  return Promise.resolve(reportFailure(context, error));
}

function requireSend(context: CliContext, mailbox: string | undefined): AppError | null {
  return mailbox === 'send' ? null : { code: ErrorCode.InvalidInput, message: 'Only the “send” (Send Direct) mailbox can be used here for now.' };
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}

/**
 * `mail-settings configure send --host H --port P --security none|starttls|tls --user U --password-stdin
 *  --sender-name N --sender-address A [--auth password|oauth-office365|oauth-google]`
 * The password is read from standard input only, never from the command line (shell history, ps).
 */
export function configureCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      security: { type: 'string' },
      user: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'sender-name': { type: 'string' },
      'sender-address': { type: 'string' },
      auth: { type: 'string', default: 'password' },
    },
  });
  const wrongMailbox = requireSend(context, positionals[0]);
  if (wrongMailbox) return invalid(context, wrongMailbox);
  const parsed = sendDirectSettingsSchema.safeParse({
    serverName: values.host ?? '',
    port: values.port ?? (values.security === 'tls' ? 465 : 587),
    security: values.security ?? 'starttls',
    userName: values.user ?? '',
    senderName: values['sender-name'] ?? '',
    senderAddress: values['sender-address'] ?? '',
    authMethod: values.auth,
  });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Invalid settings.'];
    const label = sendDirectLabels[field as SendDirectField] ?? field;
    return invalid(context, { code: ErrorCode.InvalidInput, message: `${label}: ${message}`, fieldErrors });
  }
  return withRuntime(context, async ({ services }) => {
    let password: PasswordChange = { kind: 'keep' };
    if (values['password-stdin']) {
      const value = await readStdin();
      if (!value) return reportFailure(context, { code: ErrorCode.InvalidInput, message: 'No password arrived on standard input.' });
      password = { kind: 'set', value };
    }
    const result = await services.sendDirect.save(parsed.data, password);
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, sendDirect: result.value });
    else context.out(`Send Direct saved (${parsed.data.serverName}:${parsed.data.port}).${result.value.passwordStored ? ' The password is in the keychain.' : ''}\n`);
    return 0;
  });
}

/** `mail-settings test-connection send [--json]`: exit 0 on success, 1 with the error and its fix. */
export function testConnectionCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  const wrongMailbox = requireSend(context, positionals[0]);
  if (wrongMailbox) return invalid(context, wrongMailbox);
  return withRuntime(context, async ({ services }) => {
    const view = await services.sendDirect.get();
    if (!view.ok) return reportFailure(context, view.error);
    if (!view.value.settings) return reportFailure(context, { code: ErrorCode.NotConfigured, message: 'Send Direct is not set up yet.', fix: 'Run mail-settings configure send first.' });
    const result = await services.smtp.testConnection(view.value.settings, { kind: 'keep' });
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, message: result.value.message });
    else context.out(`${result.value.message}\n`);
    return 0;
  });
}

/** `mail-settings send --to X --subject S --html-file F [--attach F]... [--activity-note] [--json]` */
export function sendCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      to: { type: 'string', multiple: true },
      subject: { type: 'string' },
      'html-file': { type: 'string' },
      attach: { type: 'string', multiple: true },
      'activity-note': { type: 'boolean', default: false },
    },
  });
  return withRuntime(context, async ({ services }) => {
    let html = '';
    if (values['html-file']) {
      try {
        html = await readFile(values['html-file'], 'utf8');
      } catch {
        return reportFailure(context, { code: ErrorCode.AttachmentUnreadable, message: `The file “${values['html-file']}” could not be read.` });
      }
    }
    const email = testEmailSchema.safeParse({
      to: (values.to ?? []).flatMap((to) => to.split(',')).filter(Boolean),
      subject: values.subject ?? '',
      html,
      attachments: values.attach ?? [],
      activityNote: values['activity-note'],
    });
    if (!email.success) {
      const fieldErrors = fieldErrorsOf(email.error);
      return reportFailure(context, { code: ErrorCode.InvalidInput, message: Object.values(fieldErrors)[0] ?? 'Invalid message.', fieldErrors });
    }
    const result = await services.smtp.send(email.data);
    if (!result.ok) return reportFailure(context, result.error);
    if (context.json) printJson(context, { ok: true, ...result.value });
    else context.out(`Sent ${result.value.messageId}${result.value.activityNoteId !== null ? `; activity note ${result.value.activityNoteId} created` : ''}.\n`);
    return 0;
  });
}
