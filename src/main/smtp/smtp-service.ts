import nodemailer from 'nodemailer';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import type { MailServerConnection, PasswordChange } from '../../shared/mail-server';
import { mailboxProtocols, type MailboxSpeaking } from '../../shared/mailboxes';
import { describeError, type Logger } from '../log/logger';
import { trustServerCertificate } from '../mail/certificate-trust';
import { diagnoseConnectionFailure } from '../mail/connection-diagnosis';
import type { MailboxCredentials } from '../mail/mailbox-credentials';
import { trustedCertificateKey } from '../mail/tls-options';
import { OAuthError } from '../oauth/oauth-errors';
import { SecretStoreError } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { smtpErrorOf } from './smtp-errors';
import { transportOptions } from './transport-options';

/** The mailboxes that send: Send Direct (Email Integration may add more). */
export type SmtpMailbox = MailboxSpeaking<'smtp'>;

export interface SmtpServiceDeps {
  readonly credentials: MailboxCredentials;
  readonly settings: Pick<SettingsStore, 'trustedCertificate' | 'trustCertificate'>;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** What the caller does on a signed-in SMTP connection; what it throws is explained like a connection failure. */
export interface SmtpSession {
  verify(): Promise<void>;
  /** Sends a composed message as it is, to the envelope's recipients. */
  sendRaw(envelope: { readonly from: string; readonly to: readonly string[] }, raw: Buffer): Promise<{ readonly messageId: string }>;
}

export const connectionSucceeded = 'We were able to connect to your mail server and sign in.';

/** The SMTP adapter: signs a mailbox in with nodemailer, and explains failures with the SMTP table. */
export function createSmtpService(deps: SmtpServiceDeps) {
  async function explain(error: unknown, connection: MailServerConnection): Promise<AppError> {
    if (error instanceof OAuthError || error instanceof SecretStoreError) return error.appError;
    // Anything else that already carries its own words (a refused file) is said as it is.
    const appError = (error as { appError?: AppError } | null)?.appError;
    if (appError && typeof appError.code === 'string') return appError;
    const mapped = await diagnoseConnectionFailure(error, {
      protocol: 'smtp',
      connection,
      trusted: (key) => deps.settings.trustedCertificate(key),
      errorOf: (cause, findings) => smtpErrorOf(cause, { settings: connection, ...findings }),
    });
    if (mapped.code === ErrorCode.MailRejected) deps.logger.warn('Unmapped SMTP failure', describeError(error));
    return mapped;
  }

  /**
   * Signs in (with the form's connection and password field, saved or not), runs `use` on the connection
   * and closes it. Every failure, from signing in to `use` itself, comes back as a result in the user's words.
   */
  async function withSession<T>(mailbox: SmtpMailbox, connection: MailServerConnection, password: PasswordChange, use: (session: SmtpSession) => Promise<T>): Promise<Result<T>> {
    const auth = await deps.credentials.credentialsFor(mailbox, connection, password);
    if (!auth.ok) return auth;
    const transporter = nodemailer.createTransport(transportOptions(connection, auth.value, deps.settings.trustedCertificate(trustedCertificateKey(connection))));
    try {
      return ok(
        await use({
          verify: async () => {
            await transporter.verify();
          },
          sendRaw: async (envelope, raw) => {
            const info = await transporter.sendMail({ envelope: { from: envelope.from, to: [...envelope.to] }, raw });
            return { messageId: info.messageId };
          },
        }),
      );
    } catch (error) {
      return fail(await explain(error, connection));
    } finally {
      transporter.close();
    }
  }

  return {
    withSession,

    /** Connects, negotiates TLS, authenticates and quits, sending nothing (seed 002). */
    testConnection(mailbox: SmtpMailbox, connection: MailServerConnection, password: PasswordChange): Promise<Result<{ message: string }>> {
      return withSession(mailbox, connection, password, async (session) => {
        await session.verify();
        return { message: connectionSucceeded };
      });
    },

    /** "Trust this certificate" for the mailbox's server, if it still shows this fingerprint. */
    trustCertificate(mailbox: SmtpMailbox, connection: MailServerConnection, fingerprint256: string): Promise<Result<void>> {
      return trustServerCertificate(deps, mailboxProtocols[mailbox], connection, fingerprint256);
    },
  };
}

export type SmtpService = ReturnType<typeof createSmtpService>;
