import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ErrorCode, fail, ok, type AppError, type Result } from '../../shared/errors';
import { providerLabels } from '../../shared/accounts';
import { sendsSecretsInClear, type PasswordChange, type SendDirectSettings } from '../../shared/send-direct';
import type { SentEmail } from '../../shared/test-email';
import type { AccountService } from '../accounts/account-service';
import { describeError, type Logger } from '../log/logger';
import type { SecretRegistry } from '../log/redact';
import { clearTextRefusal, passwordNeededForNewServer, storedPasswordMayGoTo, tokenHostRefusal } from '../mail/credential-guard';
import { OAuthError } from '../oauth/oauth-errors';
import { allowedMailHosts, isAllowedMailHost } from '../oauth/providers/mail-hosts';
import type { ProviderDefaults } from '../oauth/providers/provider-config';
import type { RecordsStore } from '../records/records-store';
import type { SendDirectService } from '../send-direct/send-direct-service';
import { SecretStoreError } from '../secrets/secret-store';
import { SettingsError, type SettingsStore } from '../settings/settings-store';
import { probeCertificate } from './certificate-probe';
import type { LocalAttachment } from '../files/chosen-attachments';
import { classifyLocalPath, currentPathPlatform } from '../files/local-path';
import { createMessageFileReader } from '../files/message-file-reader';
import { FileRefusedError } from '../files/refused-file';
import { embedLocalImages, type InlineImage } from './inline-images';
import { smtpErrorOf } from './smtp-errors';
import { transportOptions, type SmtpAuth } from './transport-options';

export interface SmtpServiceDeps {
  readonly sendDirect: SendDirectService;
  readonly accounts: AccountService;
  readonly settings: SettingsStore;
  /** The installation's provider configuration: which mail servers each provider's tokens may go to. */
  readonly providerDefaults: ProviderDefaults;
  readonly records: () => Promise<RecordsStore>;
  readonly secretRegistry: SecretRegistry;
  readonly logger: Logger;
  readonly now: () => Date;
}

export interface TestEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  /**
   * Ordinary attachments: files the user chose (main's open-file dialog, or the CLI's --attach), never paths
   * from the renderer. Each is checked like an image (a regular file here, within the size limits) when sent.
   */
  readonly attachments: readonly LocalAttachment[];
  /** "Create a copy as an activity note" (seed 000). */
  readonly activityNote: boolean;
}


/** The message's local images (embedded) and attachments, read within the size limits of one message. */
async function readMessageFiles(email: TestEmail): Promise<Result<{ html: string; images: InlineImage[]; attachments: { filename: string; content: Buffer }[] }>> {
  const files = createMessageFileReader();
  const platform = currentPathPlatform();
  try {
    const { html, images } = await embedLocalImages(email.html, { files, platform });
    const attachments: { filename: string; content: Buffer }[] = [];
    for (const attachment of email.attachments) {
      const kind = classifyLocalPath(attachment.path, platform);
      if (kind.kind === 'refused') throw new FileRefusedError(attachment.path, kind.reason);
      attachments.push({ filename: attachment.name, content: await files.read(kind.path, attachment.path) });
    }
    return ok({ html, images, attachments });
  } catch (error) {
    if (error instanceof FileRefusedError) return fail(error.appError);
    throw error;
  }
}

export const connectionSucceeded = 'We were able to connect to your mail server and sign in.';

const notConfigured: AppError = {
  code: ErrorCode.NotConfigured,
  message: 'Send Direct is not set up yet.',
  fix: 'Fill in the Send Direct section and click Save first.',
};

/** Outgoing mail for Send Direct: Test Connection, sending, certificate trust. */
export function createSmtpService(deps: SmtpServiceDeps) {
  /**
   * What signs in, after the rules of credential-guard.ts: a stored password only to the destination it
   * was saved for, a token only to its provider's servers, neither in clear text unless the user allowed it.
   */
  async function authFor(settings: SendDirectSettings, password: PasswordChange): Promise<Result<SmtpAuth>> {
    const clearText = clearTextRefusal(settings, sendsSecretsInClear(settings) ? await securityOffered(settings) : null);
    if (clearText) return fail(clearText);
    if (settings.authMethod === 'password') {
      let value: string | null;
      try {
        if (password.kind === 'keep') {
          const saved = deps.settings.getSendDirect();
          if (saved && !storedPasswordMayGoTo(saved, settings)) return fail(passwordNeededForNewServer);
          value = saved ? await deps.sendDirect.password() : null;
        } else {
          value = password.kind === 'set' ? password.value : null;
        }
      } catch (error) {
        // The keychain or the settings file could not be read: say so, as Save does, instead of an internal error.
        if (error instanceof SecretStoreError || error instanceof SettingsError) return fail(error.appError);
        throw error;
      }
      if (!value) return fail({ code: ErrorCode.InvalidInput, message: 'Enter the password for your mail server.', fieldErrors: { password: 'Enter the password for your mail server.' } });
      deps.secretRegistry.remember(value);
      return ok({ kind: 'password', user: settings.userName, password: value });
    }
    const state = await deps.accounts.state('send');
    if (!state.ok) return state;
    if (state.value.status !== 'signed-in' || !state.value.username || !state.value.provider) {
      const reason = state.value.reason;
      return fail(reason ?? { code: ErrorCode.NotSignedIn, message: 'Send Direct is not signed in yet.', fix: 'Click “Sign in using Modern Authentication…” first.' });
    }
    const provider = state.value.provider;
    if (!isAllowedMailHost(settings.serverName, provider, deps.providerDefaults)) {
      return fail(tokenHostRefusal(settings.serverName, providerLabels[provider], allowedMailHosts(provider, deps.providerDefaults)));
    }
    return ok({
      kind: 'xoauth2',
      // A shared mailbox: authenticate as the signed-in delegate, send as the Sender Email Address.
      user: state.value.username,
      token: async (renew) => {
        const token = await deps.accounts.accessToken('send', { forceRefresh: renew });
        if (!token.ok) throw new OAuthError(token.error);
        return token.value.accessToken;
      },
    });
  }

  /** What a server offers instead of clear text, asked without credentials, so the refusal can say what to choose. */
  async function securityOffered(settings: SendDirectSettings): Promise<'starttls' | 'tls' | null> {
    if (await probeCertificate(settings.serverName, settings.port, 'starttls', 3000)) return 'starttls';
    if (await probeCertificate(settings.serverName, settings.port, 'tls', 1500)) return 'tls';
    return null;
  }

  async function explain(error: unknown, settings: SendDirectSettings): Promise<AppError> {
    const appError = (error as { appError?: AppError } | null)?.appError;
    if (error instanceof OAuthError || error instanceof SecretStoreError || error instanceof FileRefusedError) return error.appError;
    if (appError && typeof appError.code === 'string') return appError;
    let mapped = smtpErrorOf(error, { settings });
    if (mapped.code === ErrorCode.ConnectionTimedOut && settings.security !== 'tls' && /Greeting never received/i.test(String((error as Error).message))) {
      // Silence after connecting: a port that expects SSL/TLS at once answers a TLS handshake. Ask it.
      const speaksTls = (await probeCertificate(settings.serverName, settings.port, 'tls', 1500)) !== null;
      if (speaksTls) mapped = smtpErrorOf(error, { settings, tlsDetected: true });
    }
    if (mapped.code === ErrorCode.UntrustedCertificate || mapped.code === ErrorCode.CertificateChanged) {
      const probed = await probeCertificate(settings.serverName, settings.port, settings.security);
      if (probed) {
        const trusted = deps.settings.trustedCertificate(`${settings.serverName}:${settings.port}`);
        const changed = trusted !== null && trusted.fingerprint256 !== probed.summary.fingerprint256;
        mapped = smtpErrorOf(changed ? Object.assign(new Error('CERTIFICATE_CHANGED'), { code: 'CERTIFICATE_CHANGED' }) : error, { settings, certificate: probed.summary });
      }
    }
    if (mapped.code === ErrorCode.MailRejected) deps.logger.warn('Unmapped SMTP failure', describeError(error));
    return mapped;
  }

  function transport(settings: SendDirectSettings, auth: SmtpAuth) {
    return nodemailer.createTransport(transportOptions(settings, auth, deps.settings.trustedCertificate(`${settings.serverName}:${settings.port}`)));
  }

  return {
    /** Connects, negotiates TLS, authenticates and quits, sending nothing (seed 002). */
    async testConnection(settings: SendDirectSettings, password: PasswordChange): Promise<Result<{ message: string }>> {
      const auth = await authFor(settings, password);
      if (!auth.ok) return auth;
      const transporter = transport(settings, auth.value);
      try {
        await transporter.verify();
        return ok({ message: connectionSucceeded });
      } catch (error) {
        return fail(await explain(error, settings));
      } finally {
        transporter.close();
      }
    },

    async send(email: TestEmail): Promise<Result<SentEmail>> {
      const view = await deps.sendDirect.get();
      if (!view.ok) return view;
      const settings = view.value.settings;
      if (!settings) return fail(notConfigured);
      // Every file is read and checked before anything else: a refused one stops the message before the
      // keychain is read or a server contacted.
      const files = await readMessageFiles(email);
      if (!files.ok) return files;
      const { html, images, attachments } = files.value;
      const auth = await authFor(settings, { kind: 'keep' });
      if (!auth.ok) return auth;
      const transporter = transport(settings, auth.value);
      try {
        const from = { name: settings.senderName, address: settings.senderAddress };
        // The message is composed once: the same bytes are sent and kept in the activity note.
        const raw = await new MailComposer({
          from,
          to: [...email.to],
          subject: email.subject,
          html,
          date: deps.now(),
          attachments: [
            ...images.map((image) => ({ filename: image.filename, content: image.content, contentType: image.contentType, cid: image.cid, contentDisposition: 'inline' as const })),
            ...attachments,
          ],
        })
          .compile()
          .build();
        const info = await transporter.sendMail({ envelope: { from: settings.senderAddress, to: [...email.to] }, raw });
        let activityNoteId: number | null = null;
        if (email.activityNote) {
          const records = await deps.records();
          activityNoteId = records.addActivityNote({
            typeName: 'Email Sent',
            subject: email.subject,
            from: settings.senderAddress,
            to: [...email.to],
            occurredAt: deps.now(),
            bodyHtml: email.html,
            rawMessage: raw,
          }).id;
        }
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1] ?? info.messageId;
        return ok({ messageId, inlineImages: images.length, activityNoteId });
      } catch (error) {
        return fail(await explain(error, settings));
      } finally {
        transporter.close();
      }
    },

    /**
     * "Trust this certificate": the server is asked again, and only if it still shows the certificate the
     * user saw (same fingerprint) is it stored as trusted for this host and port.
     */
    async trustCertificate(settings: SendDirectSettings, fingerprint256: string): Promise<Result<void>> {
      const probed = await probeCertificate(settings.serverName, settings.port, settings.security);
      if (!probed || probed.summary.fingerprint256 !== fingerprint256) {
        return fail({
          code: ErrorCode.CertificateChanged,
          message: 'The server no longer shows the certificate you were asked about, so it was not trusted.',
          fix: 'Click Test Connection again to see the certificate the server shows now.',
        });
      }
      deps.settings.trustCertificate(`${settings.serverName}:${settings.port}`, { fingerprint256, pem: probed.anchorPem, trustedAt: deps.now().toISOString() });
      return ok(undefined);
    },
  };
}

export type SmtpService = ReturnType<typeof createSmtpService>;
