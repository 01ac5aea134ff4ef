import { parseArgs } from 'node:util';
import { formatStatus } from '../format-status';
import { reportFailure, withRuntime, type CliContext } from '../cli-context';

/** `mail-settings status [--json]` */
export function statusCommand(context: CliContext, args: readonly string[]): Promise<number> {
  parseArgs({ args: [...args], options: {} }); // refuses unknown options and arguments
  return withRuntime(context, async ({ services }) => {
    const result = await services.status.get();
    if (!result.ok) return reportFailure(context, result.error);
    context.out(context.json ? `${JSON.stringify(result.value, null, 2)}\n` : formatStatus(result.value));
    return 0;
  });
}
