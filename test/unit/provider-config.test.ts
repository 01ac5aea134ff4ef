import { describe, expect, it } from 'vitest';
import { providerDefaultsFromEnv, resolveProvider, type ProviderDefaults } from '../../src/main/oauth/providers/provider-config';
import { providerOptionsSchema, type ProviderOptions } from '../../src/shared/accounts';

/**
 * The installation's provider settings (environment variables, README "Configuration") and how a
 * mailbox's own provider settings are laid over them. No test here sets MAIL_SETTINGS_OFFICE365_AUTHORITY
 * unless it says so: this is Office 365 as shipped, against login.microsoftonline.com.
 */

const clientId = '11111111-2222-3333-4444-555555555555';
/** A mailbox's own provider settings, as the form or the CLI hands them over (schema-checked, trimmed). */
const mailboxProvider = (input: Record<string, string>): ProviderOptions => providerOptionsSchema.parse(input);
const office365 = (options: Record<string, string> = {}): ProviderOptions => mailboxProvider({ kind: 'office365', ...options });
const fromEnv = (env: Record<string, string>): ProviderDefaults => providerDefaultsFromEnv(env);

describe('providerDefaultsFromEnv: what an installation was given', () => {
  it('reads every variable, trimmed', () => {
    const defaults = fromEnv({
      MAIL_SETTINGS_OFFICE365_CLIENT_ID: `  ${clientId}\n`,
      MAIL_SETTINGS_OFFICE365_TENANT: ' contoso.onmicrosoft.com ',
      MAIL_SETTINGS_GOOGLE_CLIENT_ID: ' google-id ',
      MAIL_SETTINGS_GOOGLE_CLIENT_SECRET: '\tgoogle-secret ',
      MAIL_SETTINGS_GOOGLE_PROJECT_STATUS: ' Testing ',
      MAIL_SETTINGS_OIDC_ISSUER: ' https://login.example.org ',
      MAIL_SETTINGS_OIDC_CLIENT_ID: ' oidc-id',
      MAIL_SETTINGS_OIDC_CLIENT_SECRET: 'oidc-secret ',
    });
    expect(defaults).toEqual({
      office365: { clientId, tenant: 'contoso.onmicrosoft.com', authority: undefined, mailHosts: undefined },
      google: { clientId: 'google-id', clientSecret: 'google-secret', issuer: undefined, mailHosts: undefined, projectStatus: 'testing' },
      oidc: { clientId: 'oidc-id', clientSecret: 'oidc-secret', issuer: 'https://login.example.org', mailHosts: undefined },
    });
  });

  it('treats an empty or blank variable as not set, so the built-in default applies', () => {
    const defaults = fromEnv({
      MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId,
      MAIL_SETTINGS_OFFICE365_TENANT: '   ',
      MAIL_SETTINGS_OFFICE365_AUTHORITY: '',
      MAIL_SETTINGS_OFFICE365_MAIL_HOSTS: ' , ',
    });
    expect(defaults.office365).toEqual({ clientId, tenant: undefined, authority: undefined, mailHosts: [] });
    // A blank authority is not a custom authority: the real Entra sign-in, for the default tenant.
    expect(resolveProvider(office365(), defaults)).toMatchObject({ issuer: 'https://login.microsoftonline.com/organizations', genericAuthority: false });
  });

  it('splits the extra mail hosts on commas, trimmed, without empty entries', () => {
    expect(fromEnv({ MAIL_SETTINGS_GOOGLE_MAIL_HOSTS: ' smtp.example.com,, imap.example.com ,' }).google.mailHosts).toEqual(['smtp.example.com', 'imap.example.com']);
  });
});

describe('resolveProvider: Office 365 as shipped (login.microsoftonline.com)', () => {
  it('defaults to the tenant "organizations" (work and school accounts of any organisation)', () => {
    const resolved = resolveProvider(office365(), fromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId }));
    expect(resolved).toEqual({
      kind: 'office365',
      clientId,
      tenant: 'organizations',
      issuer: 'https://login.microsoftonline.com/organizations',
      genericAuthority: false,
      loginHint: undefined,
    });
  });

  it('uses the installation’s tenant', () => {
    const resolved = resolveProvider(office365(), fromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId, MAIL_SETTINGS_OFFICE365_TENANT: 'contoso.onmicrosoft.com' }));
    expect(resolved).toMatchObject({ tenant: 'contoso.onmicrosoft.com', issuer: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', genericAuthority: false });
  });

  it('lets a mailbox’s own tenant and client id win over the installation’s', () => {
    const defaults = fromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId, MAIL_SETTINGS_OFFICE365_TENANT: 'contoso.onmicrosoft.com' });
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const resolved = resolveProvider(office365({ tenant: ` ${tenantId} `, clientId: 'mailbox-client', loginHint: 'sales@fabrikam.example' }), defaults);
    expect(resolved).toEqual({
      kind: 'office365',
      clientId: 'mailbox-client',
      tenant: tenantId,
      issuer: `https://login.microsoftonline.com/${tenantId}`,
      genericAuthority: false,
      loginHint: 'sales@fabrikam.example',
    });
  });

  it('refuses to start without an app registration, naming the variable that sets one', () => {
    expect(() => resolveProvider(office365({ tenant: 'common' }), fromEnv({}))).toThrow(
      expect.objectContaining({ appError: expect.objectContaining({ code: 'PROVIDER_NOT_CONFIGURED', fix: expect.stringContaining('MAIL_SETTINGS_OFFICE365_CLIENT_ID') }) }),
    );
  });
});

describe('resolveProvider: Office 365 pointed at another authority', () => {
  it('uses MAIL_SETTINGS_OFFICE365_AUTHORITY as a generic OpenID authority, whatever the tenant', () => {
    const defaults = fromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId, MAIL_SETTINGS_OFFICE365_AUTHORITY: ' https://idp.example.org/tenant-a ', MAIL_SETTINGS_OFFICE365_TENANT: 'contoso.onmicrosoft.com' });
    expect(resolveProvider(office365(), defaults)).toMatchObject({ issuer: 'https://idp.example.org/tenant-a', genericAuthority: true });
  });

  it('takes a mailbox’s issuer over the installation’s authority', () => {
    const defaults = fromEnv({ MAIL_SETTINGS_OFFICE365_CLIENT_ID: clientId, MAIL_SETTINGS_OFFICE365_AUTHORITY: 'https://idp.example.org' });
    expect(resolveProvider(office365({ issuer: 'https://other.example.org' }), defaults)).toMatchObject({ issuer: 'https://other.example.org', genericAuthority: true });
  });
});

describe('resolveProvider: Google and OpenID Connect', () => {
  it('sends the installation’s Google client secret only to the installation’s issuer', () => {
    const defaults = fromEnv({ MAIL_SETTINGS_GOOGLE_CLIENT_ID: 'google-id', MAIL_SETTINGS_GOOGLE_CLIENT_SECRET: 'google-secret' });
    expect(resolveProvider(mailboxProvider({ kind: 'google' }), defaults)).toMatchObject({ issuer: 'https://accounts.google.com', clientSecret: 'google-secret', genericAuthority: false });
    expect(resolveProvider(mailboxProvider({ kind: 'google', issuer: 'https://elsewhere.example.org' }), defaults).clientSecret).toBeUndefined();
  });

  it('needs an issuer for a generic OpenID Connect provider', () => {
    expect(() => resolveProvider(mailboxProvider({ kind: 'oidc', clientId: 'x' }), fromEnv({}))).toThrow(expect.objectContaining({ appError: expect.objectContaining({ code: 'PROVIDER_NOT_CONFIGURED' }) }));
    expect(resolveProvider(mailboxProvider({ kind: 'oidc', clientId: 'x', issuer: 'https://login.example.org' }), fromEnv({}))).toMatchObject({ issuer: 'https://login.example.org', genericAuthority: true });
  });
});
