import { useEffect, useState } from 'react';
import type { ReauthNotice } from '../../shared/admin';
import type { MailSettingsApi } from '../../shared/contract';
import { callSafely } from '../call-safely';

/** Main's list of mailboxes whose mail stopped or will soon, followed through `reauthNoticesChanged`. */
export function useReauthNotices(api: MailSettingsApi): readonly ReauthNotice[] {
  const [notices, setNotices] = useState<readonly ReauthNotice[]>([]);
  useEffect(() => {
    let current = true;
    void callSafely(() => api.listReauthNotices({})).then((result) => {
      if (current && result.ok) setNotices(result.value);
    });
    const stop = api.on('reauthNoticesChanged', (changed) => setNotices(changed));
    return () => {
      current = false;
      stop();
    };
  }, [api]);
  return notices;
}
