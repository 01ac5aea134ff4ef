import type { MailSettingsApi } from '../shared/contract';
import { AdminIndicatorContainer } from './admin/AdminIndicator';
import { AdminProvider } from './admin/AdminProvider';
import { ReauthNoticesContainer } from './admin/ReauthNotices';
import { CheckIcon, WarningIcon } from './components/Field';
import { InboxModule } from './inbox/InboxModule';
import { EmailIntegrationEntry } from './integration/EmailIntegrationEntry';
import { RecordsDatabaseEntry } from './records-database/RecordsDatabaseEntry';
import { SendDirectContainer } from './send-direct/SendDirectContainer';

export interface AppProps {
  /** Null when the page was opened outside the app (no preload): it says so instead of failing. */
  readonly api: MailSettingsApi | null;
}

/**
 * The Mail Settings window: a title bar (with the administrator's sign-in) and one section per mail function:
 * Send Direct, then the two inboxes.
 */
export function App({ api }: Readonly<AppProps>) {
  // The administrator (issue 14) belongs to the whole window: its sign-in in the title bar, its prompt over
  // any section's admin-only action.
  return api === null ? <Window api={null} /> : (
    <AdminProvider api={api}>
      <Window api={api} />
    </AdminProvider>
  );
}

function Window({ api }: Readonly<AppProps>) {
  return (
    <div className="window">
      <header className="window__header">
        <MailIcon />
        <h1 className="window__title">Mail Settings</h1>
        {api !== null && (
          <div className="window__tools">
            <nav className="window__nav" aria-label="System Admin">
              <EmailIntegrationEntry api={api} />
              <RecordsDatabaseEntry api={api} />
            </nav>
            <AdminIndicatorContainer />
          </div>
        )}
      </header>
      <main className="window__body">
        {api !== null && <ReauthNoticesContainer api={api} />}
        <section className="section" aria-labelledby="send-direct-title">
          <h2 className="section__header" id="send-direct-title">
            <CheckIcon />
            <span>Send Direct</span>
          </h2>
          <div className="section__body">
            <div className="intro">
              <p className="intro__title">Send direct from Legrand CRM (Recommended)</p>
              <p>
                Email messages are sent directly from Legrand CRM. You can only do this when you are connected to the Internet. When
                sending emails directly from Legrand CRM there is no need to upload image files to your web site; you can include images
                and pictures from your local hard disk. The local image files will be included in the email as embedded attachments.
              </p>
            </div>
            {api === null ? <NoApi /> : <SendDirectContainer api={api} />}
          </div>
        </section>
        {api !== null && (
          <>
            <InboxModule api={api} inbox="lead" />
            <InboxModule api={api} inbox="serviceDesk" />
          </>
        )}
      </main>
    </div>
  );
}

function NoApi() {
  return (
    <div className="load-failed" role="alert">
      <WarningIcon />
      <div>
        <p className="status__message">This page can only show your settings inside the Mail Settings app.</p>
        <p className="status__fix">Open Mail Settings from Legrand CRM or from your applications menu.</p>
      </div>
    </div>
  );
}

function MailIcon() {
  return (
    <svg className="window__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <rect x="2.5" y="5" width="19" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="m3.5 6.5 8.5 6.5 8.5-6.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
    </svg>
  );
}
