import type { AccountState } from '../../shared/accounts';
import { modernAuthViewOf, type ModernProvider } from './modern-auth-state';
import { ModernAuthPanel } from './ModernAuthPanel';
import type { ModernAuthControls } from './use-modern-auth';

export interface MailboxModernAuthPanelProps {
  readonly idPrefix: string;
  readonly provider: ModernProvider;
  /** The mailbox's sign-in, from `useModernAuth(api, mailbox)`. */
  readonly modernAuth: ModernAuthControls;
  /** The form's user name, the sign-in's login hint. */
  readonly userName: string;
  readonly now: Date;
  /** A sign-in succeeded: the form may take the signed-in mailbox as its user name. */
  readonly onSignedIn: (account: AccountState) => void;
}

/**
 * The ModernAuthPanel wired to a mailbox's `useModernAuth` controls: what every section (Send Direct, the
 * inboxes) shows under its Authentication method when Modern Authentication is chosen.
 */
export function MailboxModernAuthPanel({ idPrefix, provider, modernAuth, userName, now, onSignedIn }: Readonly<MailboxModernAuthPanelProps>) {
  const signIn = (): void => {
    void modernAuth.signIn(provider, userName).then((signedIn) => {
      if (signedIn !== null) onSignedIn(signedIn);
    });
  };
  return (
    <ModernAuthPanel
      idPrefix={idPrefix}
      provider={provider}
      view={modernAuthViewOf(modernAuth.state)}
      providerFields={modernAuth.state.providerFields[provider]}
      providerErrors={modernAuth.state.providerErrors}
      providerSettingsOpen={modernAuth.state.providerSettingsOpen}
      now={now}
      onSignIn={signIn}
      onCancel={modernAuth.cancel}
      onContinueInBrowser={modernAuth.continueInBrowser}
      onCopyLink={modernAuth.copyLink}
      onReset={modernAuth.reset}
      onRetryLoad={modernAuth.retryLoad}
      onEditProviderField={(field, value) => modernAuth.editProviderField(provider, field, value)}
      onToggleProviderSettings={modernAuth.toggleProviderSettings}
    />
  );
}
