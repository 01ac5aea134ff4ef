import type { Schema } from 'conf';
import { authMethods, securityModes, type SendDirectSettings } from '../../shared/send-direct';

/**
 * The settings file: non-secret settings only. Its JSON schema forbids unknown properties, so a password
 * (or a token) can never be written into it, whatever a caller passes.
 */
export interface StoredSettings {
  sendDirect?: SendDirectSettings;
}

/** The settings file's format. Bump it with a migration in `settings-migrations.ts`. */
export const settingsFormatVersion = '2.0.0';

export const settingsJsonSchema: Schema<StoredSettings> = {
  sendDirect: {
    type: 'object',
    additionalProperties: false,
    required: ['serverName', 'senderName', 'senderAddress', 'userName', 'authMethod', 'port', 'security'],
    properties: {
      serverName: { type: 'string', maxLength: 253 },
      senderName: { type: 'string', maxLength: 100 },
      senderAddress: { type: 'string', maxLength: 254 },
      userName: { type: 'string', maxLength: 254 },
      authMethod: { type: 'string', enum: [...authMethods] },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      security: { type: 'string', enum: [...securityModes] },
    },
  },
};
