import { describe, expect, it } from 'vitest';
import { isValidHost } from '../../src/shared/address-validation';
import { fieldErrorsOf } from '../../src/shared/field-errors';
import { sendDirectSettingsSchema, type SendDirectSettingsInput } from '../../src/shared/send-direct';

const valid: SendDirectSettingsInput = {
  serverName: 'smtp.office365.com',
  senderName: 'Sales Team',
  senderAddress: 'sales@example.com',
  userName: 'sales@example.com',
  authMethod: 'password',
  port: 587,
  security: 'starttls',
};

function errorsFor(patch: Partial<Record<keyof SendDirectSettingsInput, unknown>>): Record<string, string> {
  const result = sendDirectSettingsSchema.safeParse({ ...valid, ...patch });
  return result.success ? {} : fieldErrorsOf(result.error);
}

describe('Send Direct field validation', () => {
  it('accepts a complete, correct section and trims stray spaces', () => {
    const parsed = sendDirectSettingsSchema.parse({ ...valid, serverName: '  smtp.office365.com ', port: '587' });
    expect(parsed.serverName).toBe('smtp.office365.com');
    expect(parsed.port).toBe(587);
  });

  it.each([
    [{ serverName: '' }, 'serverName', /Enter the name or IP address of your outgoing mail server/],
    [{ serverName: 'https://smtp.example.com' }, 'serverName', /not a server name or IP address/],
    [{ serverName: 'smtp example com' }, 'serverName', /not a server name/],
    [{ serverName: '300.1.1.1' }, 'serverName', /not a server name/],
    [{ senderName: '   ' }, 'senderName', /Enter the name your recipients should see/],
    [{ senderAddress: 'sales.example.com' }, 'senderAddress', /should look like name@example.com/],
    [{ senderAddress: '' }, 'senderAddress', /Enter the email address your messages are sent from/],
    [{ userName: '' }, 'userName', /Enter the user name for your mail server/],
    [{ userName: '', authMethod: 'oauth-office365' }, 'userName', /mailbox you sign in with/],
    [{ port: 0 }, 'port', /between 1 and 65535/],
    [{ port: 70000 }, 'port', /between 1 and 65535/],
    [{ port: 'abc' }, 'port', /as digits/],
    [{ port: 58.7 }, 'port', /whole number/],
    [{ security: 'ssl3' }, 'security', /Choose None, STARTTLS or SSL\/TLS/],
    [{ authMethod: 'kerberos' }, 'authMethod', /Choose an authentication method/],
  ])('explains %j in words a user understands', (patch, field, message) => {
    expect(errorsFor(patch)[field]).toMatch(message);
  });

  it('accepts IP addresses and host names, and refuses URLs and paths', () => {
    for (const host of ['192.168.1.20', '::1', '[2001:db8::1]', 'mail', 'smtp-relay.mail.example.co.uk']) expect(isValidHost(host)).toBe(true);
    for (const host of ['http://mail', 'mail/smtp', 'mail:25', '-bad.example', '1.2.3']) expect(isValidHost(host)).toBe(false);
  });
});
