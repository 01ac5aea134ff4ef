/**
 * How a connection signs in, after the rules of credential-guard.ts: a password, or an OAuth 2.0 access
 * token presented as XOAUTH2 (Google's and Microsoft's SASL mechanism for SMTP and IMAP) or OAUTHBEARER.
 */
export type MailAuth =
  | { readonly kind: 'password'; readonly user: string; readonly password: string }
  | {
      readonly kind: 'xoauth2';
      readonly user: string;
      /** Called for a token, and again with renew=true when the server refused the first one. */
      readonly token: (renew: boolean) => Promise<string>;
    };
