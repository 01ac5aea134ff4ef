import type { Runtime, RuntimeOptions } from '../../src/main/node-runtime';
import { startRuntime } from '../../src/main/node-runtime';
import type { ProviderDefaults } from '../../src/main/oauth/providers/provider-config';
import type { SignInWindow, SignInWindowOpener } from '../../src/main/oauth/sign-in-window';
import { openConfSettings } from '../../src/main/settings/settings-store';
import { completeSignInWithFetch, testbed, type PageOptions } from '../testbed/client';

/** Where the test bed's mail servers listen: the only host the test providers' tokens may go to. */
export const testbedMailHosts = ['127.0.0.1'] as const;

/** The real providers (MSAL, google-auth-library) pointed at the local identity provider, by configuration only. */
export function localProviders(): ProviderDefaults {
  const { idp } = testbed();
  return {
    // The test bed's mail servers stand in for the providers' own (MAIL_SETTINGS_<PROVIDER>_MAIL_HOSTS).
    office365: { clientId: idp.clients.office365.clientId, authority: idp.endpoints.issuer, mailHosts: testbedMailHosts },
    google: { clientId: idp.clients.google.clientId, clientSecret: idp.clients.google.clientSecret, issuer: idp.endpoints.issuer, mailHosts: testbedMailHosts },
    oidc: {},
  };
}

/**
 * A sign-in window in front of which a scripted user fills the real login, TOTP and consent pages over
 * HTTP ('close' plays a user who closes the window). Records the URLs it was shown.
 */
export function scriptedSignInWindow(script: () => PageOptions | 'close'): SignInWindowOpener & { readonly shown: string[] } {
  const shown: string[] = [];
  return {
    shown,
    open: async (url): Promise<SignInWindow> => {
      shown.push(url);
      let closeWindow: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => (closeWindow = resolve));
      const step = script();
      if (step === 'close') setTimeout(() => closeWindow(), 50);
      else void completeSignInWithFetch(url, { ...step, deliver: true });
      return { closed, close: () => undefined };
    },
  };
}

/** Services on `dataDir` with the local providers, no background checks, and an opener that opens nothing. */
export function startLocalRuntime(dataDir: string, options: Partial<RuntimeOptions> = {}): Promise<Runtime> {
  return startRuntime({
    dataDir,
    openSettings: openConfSettings,
    externalOpener: { open: async () => undefined },
    providerDefaults: localProviders(),
    accountCheckIntervalMs: 0,
    ...options,
  });
}
