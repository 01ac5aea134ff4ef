import { z } from 'zod';
import { authMethods } from '../../shared/mail-server';
import { ErrorCode } from '../../shared/errors';
import { aliasTargetSchema, integrationIdSchema, integrationSettingsSchema } from '../../shared/integration';

/**
 * System Admin › Email Integration (issue 15) as the settings file keeps it: each added mailbox credential
 * by id, with the outcome of its last check, and the aliases that route mail through them. No password:
 * those are in the keychain, one account per credential id. Like the mailboxes' entries, a zod schema
 * checks meaning on every read, and the JSON Schema refuses any property it does not name.
 */

const appErrorSchema = z
  // A code this version does not know makes the file unreadable, as any other unknown value does.
  .object({ code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]), message: z.string(), fix: z.string().optional(), fieldErrors: z.record(z.string(), z.string()).optional() })
  .strip();

/** The green tick or red cross of a credential: when it was last checked, and why it failed. */
export const integrationStatusSchema = z.object({ ok: z.boolean(), at: z.string(), error: appErrorSchema.nullable() }).strict();

export const storedIntegrationCredentialSchema = z
  .object({
    settings: integrationSettingsSchema,
    createdAt: z.string(),
    status: integrationStatusSchema.nullable(),
    lastSuccessAt: z.string().nullable(),
  })
  .strict();
export type StoredIntegrationCredential = z.output<typeof storedIntegrationCredentialSchema>;

export const storedAliasSchema = z
  .object({ address: z.string(), credentialId: integrationIdSchema, target: aliasTargetSchema, isDefault: z.boolean() })
  .strict();
export type StoredAlias = z.output<typeof storedAliasSchema>;

export const storedIntegrationsSchema = z
  .object({
    credentials: z.record(integrationIdSchema, storedIntegrationCredentialSchema),
    aliases: z.record(integrationIdSchema, storedAliasSchema),
  })
  .strict();
export type StoredIntegrations = z.output<typeof storedIntegrationsSchema>;

export const emptyIntegrations: StoredIntegrations = { credentials: {}, aliases: {} };

const errorJson = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', maxLength: 100 },
    message: { type: 'string', maxLength: 4000 },
    fix: { type: 'string', maxLength: 4000 },
    fieldErrors: { type: 'object', additionalProperties: { type: 'string', maxLength: 1000 } },
  },
} as const;

const idPattern = '^[a-z0-9-]{1,64}$';

export const integrationsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['credentials', 'aliases'],
  properties: {
    credentials: {
      type: 'object',
      propertyNames: { pattern: idPattern },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['settings', 'createdAt', 'status', 'lastSuccessAt'],
        properties: {
          settings: {
            type: 'object',
            additionalProperties: false,
            required: ['mailbox', 'host', 'port', 'secure', 'configurationName', 'description', 'authMethod'],
            properties: {
              mailbox: { type: 'string', maxLength: 254 },
              host: { type: 'string', maxLength: 253 },
              port: { type: 'integer', minimum: 1, maximum: 65535 },
              secure: { type: 'boolean' },
              configurationName: { type: 'string', maxLength: 100 },
              description: { type: 'string', maxLength: 500 },
              authMethod: { type: 'string', enum: [...authMethods] },
            },
          },
          createdAt: { type: 'string', maxLength: 64 },
          status: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['ok', 'at', 'error'],
            properties: { ok: { type: 'boolean' }, at: { type: 'string', maxLength: 64 }, error: errorJson },
          },
          lastSuccessAt: { type: ['string', 'null'], maxLength: 64 },
        },
      },
    },
    aliases: {
      type: 'object',
      propertyNames: { pattern: idPattern },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['address', 'credentialId', 'target', 'isDefault'],
        properties: {
          address: { type: 'string', maxLength: 254 },
          credentialId: { type: 'string', pattern: idPattern },
          isDefault: { type: 'boolean' },
          target: {
            type: 'object',
            additionalProperties: false,
            required: ['kind'],
            properties: {
              kind: { type: 'string', enum: ['lead', 'serviceDesk'] },
              activityType: { type: 'string', maxLength: 100 },
              owner: { type: 'string', maxLength: 254 },
              queue: { type: 'string', maxLength: 100 },
            },
          },
        },
      },
    },
  },
} as const;
