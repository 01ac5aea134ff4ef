import { sendsSecretsInClear, type MailProtocol, type MailServerConnection } from '../../shared/mail-server';
import type { AppError } from '../../shared/errors';
import { probeCertificate } from './certificate-probe';
import { clearTextRefusal } from './credential-guard';

type Connection = Pick<MailServerConnection, 'security' | 'allowInsecureAuth' | 'serverName' | 'port'>;

/** What a server offers instead of clear text, asked without credentials, so a refusal can say what to choose. */
async function securityOffered(protocol: MailProtocol, connection: Connection): Promise<'starttls' | 'tls' | null> {
  const target = { protocol, host: connection.serverName, port: connection.port };
  if (await probeCertificate({ ...target, security: 'starttls' }, 3000)) return 'starttls';
  if (await probeCertificate({ ...target, security: 'tls' }, 1500)) return 'tls';
  return null;
}

/**
 * The refusal for a connection that would carry a password or token in clear text without the user's
 * allowance (null when it may go ahead). Every sign-in, SMTP or IMAP, password or token, asks this first.
 */
export async function refuseClearText(protocol: MailProtocol, connection: Connection): Promise<AppError | null> {
  if (!sendsSecretsInClear(connection)) return null;
  return clearTextRefusal(protocol, connection, await securityOffered(protocol, connection));
}
