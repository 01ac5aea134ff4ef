import { useRef, type Ref } from 'react';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { useFocusFallback } from '../components/use-focus-fallback';
import { CheckIcon, CrossIcon, TextField } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { providerLabels } from '../../shared/accounts';
import {
  describeRefreshedAt,
  type ModernAuthView,
  type ModernProvider,
  type ProviderField,
  type ProviderFieldErrors,
  type ProviderFields,
} from './modern-auth-state';

export interface ModernAuthPanelProps {
  /** Prefix of the panel's element ids, unique in the window ("send-direct", "lead-inbox"). */
  readonly idPrefix: string;
  /** The provider of the chosen Authentication method. */
  readonly provider: ModernProvider;
  readonly view: ModernAuthView;
  readonly providerFields: ProviderFields;
  readonly providerErrors: ProviderFieldErrors;
  readonly providerSettingsOpen: boolean;
  /** For "last refreshed 5 minutes ago". */
  readonly now: Date;
  readonly onSignIn: () => void;
  readonly onCancel: () => void;
  readonly onContinueInBrowser: () => void;
  readonly onCopyLink: (url: string) => void;
  readonly onReset: () => void;
  readonly onRetryLoad: () => void;
  readonly onEditProviderField: (field: ProviderField, value: string) => void;
  readonly onToggleProviderSettings: () => void;
}

export const signInButtonLabel = 'Sign in using Modern Authentication…';

/**
 * The sign-in row under the Authentication method (seed 000): the button, the wait, the confirmation
 * with a green tick, or the red cross and "Re-authenticate Now" (seed 003).
 */
export function ModernAuthPanel(props: Readonly<ModernAuthPanelProps>) {
  const group = useRef<HTMLDivElement>(null);
  // Each state's main action: "Sign in…" becomes Cancel, Cancel becomes "Sign in…" or Reset, and so on.
  const mainAction = useRef<HTMLButtonElement>(null);
  const { view } = props;
  useFocusFallback(group, mainAction, view.kind === 'waiting' ? `waiting-${view.via}` : view.kind);
  return (
    <div className="field">
      <span className="field__label" id={`${props.idPrefix}-modern-auth-label`}>
        Modern Authentication
      </span>
      <div className="field__control">
        <div className="sign-in" role="group" aria-labelledby={`${props.idPrefix}-modern-auth-label`} ref={group}>
          <PanelState {...props} ref={mainAction} />
        </div>
      </div>
    </div>
  );
}

/** `ref` goes to the state's main action, which takes the keyboard when the previous one goes away. */
type PanelStateProps = ModernAuthPanelProps & { readonly ref: Ref<HTMLButtonElement> };

function PanelState({ ref, ...props }: Readonly<PanelStateProps>) {
  const { view, provider } = props;
  switch (view.kind) {
    case 'loading':
      return (
        <p className="status status--muted" role="status">
          Checking the sign-in…
        </p>
      );
    case 'loadFailed':
      return (
        <ErrorBox error={view.error}>
          <div className="sign-in__actions">
            <Button onClick={props.onRetryLoad} ref={ref}>
              Try again
            </Button>
          </div>
        </ErrorBox>
      );
    case 'signedOut':
      return (
        <>
          <div className="sign-in__actions">
            <Button variant="primary" onClick={props.onSignIn} ref={ref}>
              {signInButtonLabel}
            </Button>
          </div>
          <p className="field__hint">
            {provider === 'google'
              ? 'Google’s sign-in opens in your web browser. Come back here when it says you can close it.'
              : 'A sign-in window opens: enter your Microsoft account, password and verification code, then accept the permissions.'}
          </p>
          {view.failure !== null && <ErrorBox error={view.failure} />}
          <ProviderSettings {...props} />
        </>
      );
    case 'waiting':
      return <Waiting {...props} view={view} ref={ref} />;
    case 'resetting':
      return (
        <p className="status status--muted" role="status">
          Signing out…
        </p>
      );
    case 'signedIn': {
      const { account } = view;
      const otherProvider = account.provider !== null && account.provider !== provider ? account.provider : null;
      return (
        <>
          <div className="sign-in__state sign-in__state--ok" role="status">
            <CheckIcon />
            <div>
              <p className="sign-in__who">Signed in as {account.username ?? 'your account'}</p>
              {account.lastRefreshedAt !== null && (
                <p className="sign-in__when">
                  Last refreshed{' '}
                  <time dateTime={account.lastRefreshedAt} title={new Date(account.lastRefreshedAt).toLocaleString()}>
                    {describeRefreshedAt(account.lastRefreshedAt, props.now)}
                  </time>
                </p>
              )}
            </div>
          </div>
          {otherProvider !== null && (
            <p className="field__hint">
              This sign-in is with {providerLabels[otherProvider]}. To use {providerLabels[provider]}, click Reset and sign in again.
            </p>
          )}
          {view.checkFailure !== null && <p className="field__hint">The sign-in could not be checked just now: {view.checkFailure.message}</p>}
          {view.failure !== null && <ErrorBox error={view.failure} />}
          <div className="sign-in__actions">
            <Button onClick={props.onReset} ref={ref}>
              Reset
            </Button>
          </div>
          <p className="field__hint">Reset signs this mailbox out and removes its sign-in from this computer, for example to change the mail settings.</p>
        </>
      );
    }
    case 'needsReauth':
      return (
        <>
          <div className="sign-in__state sign-in__state--failed" role="status" data-error-code={view.reason.code}>
            <CrossIcon />
            <div>
              <p className="status__message">{view.reason.message}</p>
              {view.reason.fix !== undefined && <p className="status__fix">{view.reason.fix}</p>}
              {view.account.username !== null && <p className="sign-in__when">Mailbox: {view.account.username}</p>}
            </div>
          </div>
          {view.failure !== null && <ErrorBox error={view.failure} />}
          <div className="sign-in__actions">
            <Button variant="primary" onClick={props.onSignIn} ref={ref}>
              Re-authenticate Now
            </Button>
            <Button onClick={props.onReset}>Reset</Button>
          </div>
          <ProviderSettings {...props} />
        </>
      );
    default:
      return assertNever(view);
  }
}

function Waiting({ ref, ...props }: Readonly<PanelStateProps & { view: Extract<ModernAuthView, { kind: 'waiting' }> }>) {
  const { view } = props;
  const inBrowser = view.provider === 'google' || view.via === 'browser';
  return (
    <>
      <div className="sign-in__state" role="status">
        <span className="spinner" aria-hidden="true" />
        <div>
          <p className="sign-in__who">{view.cancelling ? 'Stopping the sign-in…' : 'Waiting for you to sign in…'}</p>
          <p className="sign-in__when">
            {inBrowser
              ? 'Finish signing in in your web browser, then come back to this window.'
              : 'Finish signing in in the sign-in window. It closes by itself when you are done.'}
          </p>
        </div>
      </div>
      <div className="sign-in__actions">
        <Button onClick={props.onCancel} disabled={view.cancelling} ref={ref}>
          Cancel
        </Button>
        {!inBrowser && (
          <Button variant="link" onClick={props.onContinueInBrowser} disabled={view.url === null || view.cancelling}>
            Sign in with your web browser instead
          </Button>
        )}
        {view.url !== null && (
          <Button variant="link" onClick={() => view.url !== null && props.onCopyLink(view.url)} disabled={view.cancelling}>
            Copy sign-in link
          </Button>
        )}
        {view.copy.kind === 'copied' && (
          <span className="sign-in__copied" role="status">
            <CheckIcon /> Link copied
          </span>
        )}
      </div>
      {view.copy.kind === 'failed' && view.url !== null && (
        <div className="sign-in__link">
          <label className="field__hint" htmlFor={`${props.idPrefix}-sign-in-link`}>
            The link could not be copied automatically. Select it and copy it, then open it in the browser you want to use:
          </label>
          <input id={`${props.idPrefix}-sign-in-link`} className="input" readOnly value={view.url} onFocus={(event) => event.currentTarget.select()} />
        </div>
      )}
      {!inBrowser && (
        <p className="field__hint">
          If your organisation only allows sign-in from your own browser (a device or Conditional Access policy), use “Sign in with your web browser
          instead”, or copy the link into the browser you are allowed to use.
        </p>
      )}
    </>
  );
}

function ProviderSettings(props: Readonly<ModernAuthPanelProps>) {
  const { idPrefix, provider, providerFields, providerErrors, providerSettingsOpen } = props;
  const bodyId = `${idPrefix}-provider-settings`;
  const field = (name: ProviderField, label: string, placeholder: string) => (
    <TextField
      id={`${idPrefix}-provider-${provider}-${name}`}
      label={label}
      value={providerFields[name]}
      error={providerErrors[name]}
      placeholder={placeholder}
      onChange={(value) => props.onEditProviderField(name, value)}
    />
  );
  return (
    <div className="disclosure">
      <button type="button" className="disclosure__toggle" aria-expanded={providerSettingsOpen} aria-controls={bodyId} onClick={props.onToggleProviderSettings}>
        <span className="disclosure__arrow" aria-hidden="true" />
        Provider settings
      </button>
      {providerSettingsOpen && (
        <div className="disclosure__body" id={bodyId}>
          <p className="field__hint">
            Only if your organisation uses its own app registration. Leave the fields empty to use the ones set up for this installation.
          </p>
          {provider === 'office365' ? (
            <>
              {field('clientId', 'Application (client) ID', '00000000-0000-0000-0000-000000000000')}
              {field('tenant', 'Tenant', 'organizations, or contoso.onmicrosoft.com')}
            </>
          ) : (
            <>
              {field('clientId', 'Client ID', '…apps.googleusercontent.com')}
              {field('clientSecret', 'Client secret', 'From the Google Cloud console (Desktop app)')}
            </>
          )}
        </div>
      )}
    </div>
  );
}
