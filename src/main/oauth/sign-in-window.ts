/**
 * Where the authorization page is shown. The Electron popup, a page of the e2e browser, or the system
 * browser each implement it; the sign-in flow only needs to know when the user closed it.
 */
export interface SignInWindow {
  /** Resolves when the user closes the window (never, for the system browser). */
  readonly closed: Promise<void>;
  close(): void;
}

export interface SignInWindowOpener {
  /**
   * Shows `url`. The window may show any https page (federated tenants sign in on their own ADFS, Okta
   * or Ping pages) and, of plain http, only `redirectUri` itself: the loopback listener of this sign-in.
   */
  open(url: string, redirectUri: string): Promise<SignInWindow>;
}
