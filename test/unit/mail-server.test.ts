import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from '../../src/shared/field-errors';
import { defaultConnection, mailServerConnectionSchemas, usualPorts } from '../../src/shared/mail-server';
import { mailboxIds, mailboxProtocols } from '../../src/shared/mailboxes';
import { defaultSendDirectSettings } from '../../src/shared/send-direct';

describe('a mail server connection', () => {
  it('starts on each protocol’s usual security and port: SSL/TLS on 993 for IMAP, STARTTLS on 587 for SMTP', () => {
    expect(defaultConnection('imap')).toMatchObject({ security: 'tls', port: 993, authMethod: 'password', allowInsecureAuth: false });
    expect(defaultConnection('smtp')).toMatchObject({ security: 'starttls', port: 587 });
    expect(defaultSendDirectSettings).toMatchObject(defaultConnection('smtp'));
    expect(usualPorts('imap')).toEqual([993, 143]);
    expect(usualPorts('smtp')).toEqual([587, 465]);
  });

  it('says what is wrong in the words of its protocol', () => {
    const result = mailServerConnectionSchemas.imap.safeParse({ ...defaultConnection('imap'), port: 'abc' });
    expect(result.success).toBe(false);
    expect(result.success ? {} : fieldErrorsOf(result.error)).toEqual({
      serverName: 'Enter the name or IP address of your incoming mail server, for example outlook.office365.com.',
      port: 'Enter the port number as digits, for example 993.',
    });
    const user = mailServerConnectionSchemas.imap.safeParse({ ...defaultConnection('imap'), serverName: 'imap.example.com' });
    expect(user.success ? {} : fieldErrorsOf(user.error)).toEqual({ userName: 'Enter the user name for your mail server, usually your email address.' });
  });

  it('refuses any field it does not know, a password included', () => {
    const result = mailServerConnectionSchemas.smtp.safeParse({ ...defaultConnection('smtp'), serverName: 'smtp.example.com', userName: 'me@example.com', password: 'hunter2' });
    expect(result.success).toBe(false);
  });

  it('every mailbox speaks one protocol: Send Direct SMTP, the inboxes IMAP', () => {
    expect(Object.fromEntries(mailboxIds.map((id) => [id, mailboxProtocols[id]]))).toEqual({ send: 'smtp', lead: 'imap', serviceDesk: 'imap' });
  });
});
