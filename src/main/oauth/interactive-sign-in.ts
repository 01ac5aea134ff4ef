import { oauthErrors, OAuthError } from './oauth-errors';
import { startLoopbackListener, LoopbackPortError, type AuthorizationResponse, type IssuerCheck } from './loopback-listener';
import { createPkcePair, createState } from './pkce';
import { signInPages } from './sign-in-pages';
import type { SignInWindow } from './sign-in-window';

/** What a provider contributes to an interactive sign-in: its authorization URL and the code exchange. */
export interface AuthorizationCodeFlow<TResult> {
  /** How the `iss` of the authorization response is checked (RFC 9207): from the provider's metadata. */
  readonly issuerCheck: IssuerCheck;
  readonly redirectHost: 'localhost' | '127.0.0.1';
  authorizationUrl(request: { redirectUri: string; state: string; codeChallenge: string }): Promise<string>;
  redeem(request: { code: string; codeVerifier: string; redirectUri: string }): Promise<TResult>;
}

export interface InteractiveSignInOptions {
  /**
   * Shows the authorization page and says when the user closes it. `redirectUri` is the loopback
   * listener's: the one http address a sign-in window may reach besides https pages.
   */
  readonly show: (url: string, redirectUri: string) => Promise<SignInWindow>;
  /** Called with the URL once it exists, so the user can copy it or open it elsewhere. */
  readonly onUrl?: (url: string) => void;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * One authorization-code sign-in with PKCE S256 over a loopback redirect: listen, show the page, wait for
 * the one valid callback (or the window closing, a timeout, a cancel), redeem the code, clean up.
 */
export async function runInteractiveSignIn<T>(flow: AuthorizationCodeFlow<T>, options: InteractiveSignInOptions): Promise<T> {
  let listener;
  try {
    listener = await startLoopbackListener({
      expectedState: createState(),
      issuerCheck: flow.issuerCheck,
      redirectHost: flow.redirectHost,
      pages: signInPages,
    });
  } catch (error) {
    if (error instanceof LoopbackPortError) throw new OAuthError(oauthErrors.loopbackUnavailable);
    throw error;
  }
  const pkce = createPkcePair();
  const timers: NodeJS.Timeout[] = [];
  let window: SignInWindow | null = null;
  try {
    const state = listener.expectedState;
    const url = await flow.authorizationUrl({ redirectUri: listener.redirectUri, state, codeChallenge: pkce.challenge });
    options.onUrl?.(url);
    window = await options.show(url, listener.redirectUri);

    const stopped = new Promise<never>((_resolve, reject) => {
      const fail = (error: typeof oauthErrors.cancelled | typeof oauthErrors.timedOut) => reject(new OAuthError(error));
      window?.closed.then(() => fail(oauthErrors.cancelled), () => undefined);
      timers.push(setTimeout(() => fail(oauthErrors.timedOut), options.timeoutMs));
      if (options.signal?.aborted) fail(oauthErrors.cancelled);
      options.signal?.addEventListener('abort', () => fail(oauthErrors.cancelled), { once: true });
    });
    const response: AuthorizationResponse = await Promise.race([listener.response, stopped]);
    if (response.kind === 'error') throw Object.assign(new Error(response.description ?? response.error), { error: response.error });
    return await flow.redeem({ code: response.code, codeVerifier: pkce.verifier, redirectUri: listener.redirectUri });
  } finally {
    for (const timer of timers) clearTimeout(timer);
    listener.close();
    window?.close();
  }
}
