import type { AppStatus } from '../../shared/app-status';
import { authMethodLabels } from '../../shared/mail-server';

/** The human-readable form of `status`. */
export function formatStatus(status: AppStatus): string {
  const lines = [`Mail Settings ${status.version}`, `Data directory: ${status.dataDir}`];
  lines.push(
    status.keychain.available
      ? 'Keychain: available'
      : `Keychain: unavailable. ${status.keychain.error.message} ${status.keychain.error.fix ?? ''}`.trimEnd(),
  );
  const send = status.sendDirect;
  if (!send.configured) {
    lines.push('Send Direct: not set up');
  } else {
    lines.push(`Send Direct: ${send.serverName ?? ''}, ${send.authMethod ? authMethodLabels[send.authMethod] : ''}`);
    if (send.authMethod === 'password') lines.push(`  Password: ${send.passwordStored ? 'stored in the keychain' : 'not stored'}`);
  }
  return `${lines.join('\n')}\n`;
}
