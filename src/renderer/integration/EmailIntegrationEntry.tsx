import { useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import { useAdmin } from '../admin/admin-context';
import { Button } from '../components/Buttons';
import { EmailIntegrationContainer } from './EmailIntegrationContainer';

export interface EmailIntegrationEntryProps {
  readonly api: MailSettingsApi;
}

/**
 * "Email Integration" in the title bar: System Admin › Email Integration is for administrators, so without
 * one signed in the administrator's prompt comes first, and the dashboard opens once it is done.
 */
export function EmailIntegrationEntry({ api }: Readonly<EmailIntegrationEntryProps>) {
  const { requireAdmin } = useAdmin();
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);

  const openDashboard = async (): Promise<void> => {
    if (asking) return;
    setAsking(true);
    try {
      if (await requireAdmin({ action: 'System Admin › Email Integration', confirm: null })) setOpen(true);
    } finally {
      setAsking(false);
    }
  };

  return (
    <>
      <Button variant="link" disabled={asking} onClick={() => void openDashboard()}>
        Email Integration
      </Button>
      {open && <EmailIntegrationContainer api={api} onClose={() => setOpen(false)} />}
    </>
  );
}
