import { ErrorCode, type AppError } from '../../shared/errors';
import {
  mailServerLabels,
  passwordForNewServer,
  sameSecretDestination,
  sendsSecretsInClear,
  usualPorts,
  type MailProtocol,
  type MailServerConnection,
  type SecretDestination,
} from '../../shared/mail-server';

/**
 * The rules a password or token obeys before it leaves this computer. They live in main, which never takes
 * the renderer's word for them: the renderer shows the same rules, main enforces them.
 */

/** A stored password goes only where it was saved for: same server, port, user name and method. */
export function storedPasswordMayGoTo(saved: SecretDestination | null, target: SecretDestination): boolean {
  return saved !== null && sameSecretDestination(saved, target);
}

export const passwordNeededForNewServer: AppError = {
  code: ErrorCode.PasswordNeededForNewServer,
  message: `${passwordForNewServer} The stored password belongs to the server it was saved for, so Mail Settings does not send it anywhere else.`,
  fix: 'Type the password for this server in the Password field (or change the server back), then try again.',
  fieldErrors: { password: passwordForNewServer },
};

/** Refuses a clear-text connection that would carry a secret without the user's explicit allowance. */
export function clearTextRefusal(
  protocol: MailProtocol,
  settings: Pick<MailServerConnection, 'security' | 'allowInsecureAuth' | 'serverName' | 'port'>,
  offers: 'starttls' | 'tls' | null,
): AppError | null {
  if (!sendsSecretsInClear(settings)) return null;
  const [usual, other] = usualPorts(protocol);
  const offered =
    offers === 'starttls'
      ? ` The server at ${settings.serverName}:${settings.port} offers STARTTLS: choose STARTTLS.`
      : offers === 'tls'
        ? ` The server at ${settings.serverName}:${settings.port} expects SSL/TLS: choose SSL/TLS.`
        : '';
  return {
    code: ErrorCode.InsecureAuthRefused,
    message: 'With SSL set to None your password would cross the network unencrypted, so Mail Settings did not send it.',
    fix: `Choose STARTTLS or SSL/TLS under SSL (most servers offer one of them on port ${usual} or ${other}).${offered} Only for a server on your own network that cannot encrypt, tick “${mailServerLabels.allowInsecureAuth}”.`,
    fieldErrors: { security: 'Choose STARTTLS or SSL/TLS, so that your password is sent encrypted.' },
  };
}

/** An OAuth token is sent only to the mail servers of the provider that issued it. */
export function tokenHostRefusal(host: string, provider: string, allowed: readonly string[]): AppError {
  return {
    code: ErrorCode.TokenHostNotAllowed,
    message: `Your ${provider} sign-in works only with ${provider}’s own mail servers, and ${host} is not one of them, so Mail Settings did not send it there.`,
    fix: `Enter ${provider}’s server in ${mailServerLabels.serverName}: ${allowed.slice(0, 3).join(', ')}. To sign in to another server, choose ${'Normal Password'} or ask IT to add the server to this installation’s configuration.`,
    fieldErrors: { serverName: `Use ${provider}’s server, for example ${allowed[0] ?? 'its SMTP server'}.` },
  };
}
