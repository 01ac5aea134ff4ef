import type { Schema } from 'conf';
import { mailboxes, providerKinds, type AccountId, type ProviderKind } from '../../shared/accounts';
import { storedMailboxes, storedMailboxIds, type StoredMailboxes, type StoredMailboxId } from './mailbox-settings-schema';
import { integrationsJsonSchema, type StoredIntegrations } from './integration-settings-schema';

/**
 * The settings file: non-secret settings only. Its JSON schema forbids unknown properties at every level,
 * so a password (or a token) can never be written into it, whatever a caller passes.
 */
export interface StoredSettings {
  /** Each mailbox's settings, by mailbox id (see mailbox-settings-schema.ts). */
  mailboxes?: StoredMailboxes;
  /** Each sign-in by account id: the app's mailboxes, and `integration:<id>` for added mailboxes on Modern Authentication. */
  accounts?: Partial<Record<AccountId, AccountRecord>>;
  /** Server certificates a user chose to trust, by "host:port": checked on every connection. */
  trustedCertificates?: Record<string, TrustedCertificate>;
  /** Things the app changed on the user's behalf and must tell them about, until they save. */
  notices?: Notices;
  /**
   * Set once the first administrator is created (issue 14), never unset by the app: with it, a missing
   * `admins.json` refuses admin actions instead of reading as "no administrators yet".
   */
  administratorsExist?: boolean;
  /** System Admin › Email Integration (issue 15): added mailbox credentials and aliases (integration-settings-schema.ts). */
  integrations?: StoredIntegrations;
  /** A shared PostgreSQL records database (issue 16), without its password (kept in the keychain); absent: the built-in one. */
  recordsDatabase?: StoredRecordsDatabase;
}

export interface StoredRecordsDatabase {
  /** postgres://USER@HOST:PORT/DATABASE: never a password, in the user part or as a `password` parameter. */
  url: string;
}

export interface Notices {
  /** Mailboxes that migration 3.0.0 moved from None (password in clear text) to STARTTLS. */
  encryptionTurnedOn?: StoredMailboxId[];
}

export interface TrustedCertificate {
  fingerprint256: string;
  /** The certificate (or the root of the chain the server presented) in PEM, used as the trust anchor. */
  pem: string;
  trustedAt: string;
}

/**
 * A mailbox's sign-in as kept in the settings file: who, with which provider settings, and its state.
 * Tokens and client secrets are in the keychain only.
 */
export interface AccountRecord {
  provider: { kind: ProviderKind; clientId?: string; tenant?: string; issuer?: string };
  username: string;
  accountKey: string;
  status: 'signed-in' | 'needs-reauth';
  lastRefreshedAt: string | null;
  /** When the user last signed in interactively (Google's testing projects end a grant 7 days after it); absent in older settings. */
  signedInAt?: string;
  reason: { code: string; message: string; fix?: string } | null;
}

/** The settings file's format. Bump it with a migration in `settings-migrations.ts`. */
export const settingsFormatVersion = '4.4.0';

const accountRecordJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['provider', 'username', 'accountKey', 'status', 'lastRefreshedAt', 'reason'],
  properties: {
    provider: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: [...providerKinds] },
        clientId: { type: 'string', maxLength: 512 },
        tenant: { type: 'string', maxLength: 512 },
        issuer: { type: 'string', maxLength: 512 },
      },
    },
    username: { type: 'string', maxLength: 320 },
    accountKey: { type: 'string', maxLength: 512 },
    status: { type: 'string', enum: ['signed-in', 'needs-reauth'] },
    lastRefreshedAt: { type: ['string', 'null'] },
    signedInAt: { type: 'string', maxLength: 64 },
    reason: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, fix: { type: 'string' } },
    },
  },
} as const;

export const settingsJsonSchema: Schema<StoredSettings> = {
  administratorsExist: { type: 'boolean' },
  recordsDatabase: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: {
        type: 'string',
        maxLength: 2048,
        pattern: '^postgres(ql)?://',
        // No password: neither user:password@ before the host nor a password= parameter.
        not: { anyOf: [{ pattern: '^[a-z]+://[^/?#@]*:[^/?#@]*@' }, { pattern: '[?&]password=' }] },
      },
    },
  },
  integrations: integrationsJsonSchema,
  notices: {
    type: 'object',
    additionalProperties: false,
    properties: { encryptionTurnedOn: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...storedMailboxIds] } } },
  },
  trustedCertificates: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      additionalProperties: false,
      required: ['fingerprint256', 'pem', 'trustedAt'],
      properties: {
        fingerprint256: { type: 'string', pattern: '^[0-9A-F]{2}(:[0-9A-F]{2}){31}$' },
        pem: { type: 'string', maxLength: 20000 },
        trustedAt: { type: 'string' },
      },
    },
  },
  accounts: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(mailboxes.map((mailbox) => [mailbox, accountRecordJsonSchema])),
    patternProperties: { '^integration:[A-Za-z0-9-]{1,64}$': accountRecordJsonSchema },
  },
  mailboxes: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(storedMailboxIds.map((mailbox) => [mailbox, storedMailboxes[mailbox].json])),
  },
};

/** The file itself takes no key but those above: a stray top-level `password` is refused like a nested one. */
export const settingsRootJsonSchema = { additionalProperties: false } as const;
