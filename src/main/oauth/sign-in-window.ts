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
  /** Shows `url`; navigation is limited to `allowedOrigins` (the identity provider) and the redirect. */
  open(url: string, allowedOrigins: readonly string[]): Promise<SignInWindow>;
}
