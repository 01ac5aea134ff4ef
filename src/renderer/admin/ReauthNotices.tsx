import { useState } from 'react';
import type { ReauthNotice } from '../../shared/admin';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { AccountId } from '../../shared/accounts';
import { Button } from '../components/Buttons';
import { WarningIcon } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { useModalDialog } from '../components/use-modal-dialog';
import { assertNever } from '../assert-never';
import { useAdmin } from './admin-context';
import { reauthBannerText, reauthNoticesKey, reauthShown } from './reauth-notices-state';
import { useAdminGate } from './use-admin-gate';
import { useReauthNotices } from './use-reauth-notices';

export const reauthNowLabel = 'Re-authenticate Now';

/** Where one mailbox's "Re-authenticate Now" is. */
export type ReauthAttempt = { readonly kind: 'signingIn' } | { readonly kind: 'failed'; readonly error: AppError };

/**
 * Seed 003: "EXACT will alert admin users via a pop-up message to re-authenticate"; users who are not
 * administrators see a banner naming the mailbox, since only an administrator can sign it in again.
 */
export function ReauthNoticesContainer({ api }: Readonly<{ api: MailSettingsApi }>) {
  const notices = useReauthNotices(api);
  const { status } = useAdmin();
  const gate = useAdminGate();
  const [laterFor, setLaterFor] = useState<string | null>(null);
  const [attempts, setAttempts] = useState<Readonly<Partial<Record<AccountId, ReauthAttempt>>>>({});
  const shown = reauthShown(notices, (status?.signedIn ?? null) !== null, laterFor);

  const reauthenticate = (notice: ReauthNotice): void => {
    if (attempts[notice.mailbox]?.kind === 'signingIn') return;
    setAttempts((current) => ({ ...current, [notice.mailbox]: { kind: 'signingIn' } }));
    void gate.run(`Re-authenticating ${notice.address}`, () => api.reauthenticate({ mailbox: notice.mailbox })).then((result) =>
      setAttempts((current) => {
        const { [notice.mailbox]: _finished, ...others } = current;
        return result.ok ? others : { ...others, [notice.mailbox]: { kind: 'failed', error: result.error } };
      }),
    );
  };

  switch (shown.kind) {
    case 'none':
      return null;
    case 'banner':
      return <ReauthBanner notices={shown.notices} />;
    case 'popup':
      return <ReauthPopup notices={shown.notices} attempts={attempts} onReauthenticate={reauthenticate} onLater={() => setLaterFor(reauthNoticesKey(shown.notices))} />;
    default:
      return assertNever(shown);
  }
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });

export function ReauthBanner({ notices }: Readonly<{ notices: readonly ReauthNotice[] }>) {
  return (
    <div className="reauth-banner" role="status">
      {notices.map((notice) => (
        <div key={notice.mailbox} className={`notice reauth-banner__item reauth-banner__item--${notice.state}`} data-mailbox={notice.mailbox}>
          <WarningIcon />
          <div>
            <p className="status__message">{reauthBannerText(notice, (iso) => dateFormat.format(new Date(iso)))}</p>
            <p className="status__fix">{notice.reason}</p>
          </div>
        </div>
      ))}
    </div>
  );
}

export interface ReauthPopupProps {
  readonly notices: readonly ReauthNotice[];
  readonly attempts: Readonly<Partial<Record<AccountId, ReauthAttempt>>>;
  readonly onReauthenticate: (notice: ReauthNotice) => void;
  readonly onLater: () => void;
}

export function ReauthPopup({ notices, attempts, onReauthenticate, onLater }: Readonly<ReauthPopupProps>) {
  const { dialogRef, cancel } = useModalDialog(onLater);
  return (
    <dialog ref={dialogRef} className="modal modal--wide" aria-labelledby="reauth-title" onCancel={cancel}>
      <div className="modal__form">
        <h2 className="modal__title" id="reauth-title" tabIndex={-1} data-autofocus>
          Mail needs you to re-authenticate
        </h2>
        <p className="modal__text">
          Each mailbox below signs in to its provider with a sign-in that has ended or ends soon. Click {reauthNowLabel} and follow the steps on screen, so mail keeps coming in and going out.
        </p>
        <ul className="reauth-list">
          {notices.map((notice) => {
            const attempt = attempts[notice.mailbox];
            const reasonId = `reauth-${notice.mailbox}-reason`;
            return (
              <li key={notice.mailbox} className="reauth-list__item" data-mailbox={notice.mailbox}>
                <p className="reauth-list__address">{notice.address}</p>
                <p className="field__hint" id={reasonId}>
                  {notice.state === 'stopped' ? 'Mail has stopped. ' : ''}
                  {notice.reason}
                </p>
                <div className="reauth-list__actions">
                  <Button variant="primary" disabled={attempt?.kind === 'signingIn'} describedBy={reasonId} onClick={() => onReauthenticate(notice)}>
                    {attempt?.kind === 'signingIn' ? 'Signing in…' : reauthNowLabel}
                  </Button>
                </div>
                <div role="status" aria-live="polite">
                  {attempt?.kind === 'failed' && <ErrorBox error={attempt.error} />}
                </div>
              </li>
            );
          })}
        </ul>
        <div className="modal__actions">
          <Button onClick={onLater}>Later</Button>
        </div>
      </div>
    </dialog>
  );
}
