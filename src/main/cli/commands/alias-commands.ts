import { parseArgs } from 'node:util';
import { ErrorCode, type AppError } from '../../../shared/errors';
import { fieldErrorsOf } from '../../../shared/field-errors';
import { aliasInputSchema, type AliasView } from '../../../shared/integration';
import { mailboxNames } from '../../../shared/mailboxes';
import { refusedWithoutAdmin } from '../admin-gate';
import { printJson, reportFailure, withRuntime, type CliContext } from '../cli-context';

/**
 * `mail-settings alias list|add|delete` (issue 15): the rules that route a message arriving in an
 * integration mailbox, by the address it was delivered to, to the Lead Inbox (an activity type and an
 * owner) or the Service Desk (a case queue). Once an administrator exists, add and delete run only inside
 * the session `mail-settings admin sign-in` opened.
 */

const usage =
  'Use: mail-settings alias list [--credential ID] | add --address A --credential ID (--target lead --activity-type T [--owner O] | --target service-desk --queue Q) | delete ALIAS_ID.';

function invalid(message: string): AppError {
  return { code: ErrorCode.InvalidInput, message };
}

/** One alias in words: where its mail goes. */
export function describeAlias(alias: AliasView): string {
  const target =
    alias.target.kind === 'lead'
      ? `${mailboxNames.lead}, activity type “${alias.target.activityType}”${alias.target.owner ? `, owner ${alias.target.owner}` : ''}`
      : `${mailboxNames.serviceDesk}, queue “${alias.target.queue}”`;
  return `${alias.address} → ${target}${alias.isDefault ? ' (the mailbox’s own alias)' : ''} [${alias.id}]`;
}

export async function aliasCommand(context: CliContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      address: { type: 'string' },
      credential: { type: 'string' },
      target: { type: 'string' },
      'activity-type': { type: 'string' },
      owner: { type: 'string' },
      queue: { type: 'string' },
    },
  });
  const [step, id] = positionals;
  switch (step) {
    case 'list':
      return withRuntime(context, async ({ services }) => {
        const listed = await services.integration.listAliases(values.credential);
        if (!listed.ok) return reportFailure(context, listed.error);
        if (context.json) printJson(context, { ok: true, aliases: listed.value });
        else context.out(listed.value.length === 0 ? 'No aliases yet.\n' : `${listed.value.map(describeAlias).join('\n')}\n`);
        return 0;
      });
    case 'add': {
      const target =
        values.target === 'lead'
          ? { kind: 'lead', activityType: values['activity-type'] ?? '', owner: values.owner ?? '' }
          : values.target === 'service-desk'
            ? { kind: 'serviceDesk', queue: values.queue ?? '' }
            : null;
      if (target === null) return reportFailure(context, invalid(`${values.target ? `“${values.target}” is not a target.` : 'Name the target.'} ${usage}`));
      const parsed = aliasInputSchema.safeParse({ address: values.address ?? '', credentialId: values.credential ?? '', target });
      if (!parsed.success) {
        const fieldErrors = fieldErrorsOf(parsed.error);
        const [field, message] = Object.entries(fieldErrors)[0] ?? ['form', 'Invalid alias.'];
        return reportFailure(context, { code: ErrorCode.InvalidInput, message: `${field}: ${message}`, fieldErrors });
      }
      return withRuntime(context, async ({ services }) => {
        const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'alias add');
        if (refused !== null) return refused;
        const added = await services.integration.addAlias(parsed.data);
        if (!added.ok) return reportFailure(context, added.error);
        const alias = added.value.find((each) => each.address === parsed.data.address);
        if (context.json) printJson(context, { ok: true, alias, aliases: added.value });
        else context.out(`Alias added: ${alias ? describeAlias(alias) : parsed.data.address}\n`);
        return 0;
      });
    }
    case 'delete':
      if (id === undefined) return reportFailure(context, invalid('Name the alias: mail-settings alias delete ALIAS_ID (the ids are in mail-settings alias list).'));
      return withRuntime(context, async ({ services }) => {
        const refused = await refusedWithoutAdmin(context, services, 'allowWithoutAdministrators', 'alias delete');
        if (refused !== null) return refused;
        const deleted = await services.integration.deleteAlias(id);
        if (!deleted.ok) return reportFailure(context, deleted.error);
        if (context.json) printJson(context, { ok: true, deleted: id, aliases: deleted.value });
        else context.out('Alias deleted.\n');
        return 0;
      });
    default:
      return reportFailure(context, invalid(step ? `“alias ${step}” is not an alias command. ${usage}` : usage));
  }
}
