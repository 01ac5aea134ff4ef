import { useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import { recordsDatabaseLabels } from '../../shared/records-database';
import { useAdmin } from '../admin/admin-context';
import { Button } from '../components/Buttons';
import { RecordsDatabaseContainer } from './RecordsDatabaseContainer';

export interface RecordsDatabaseEntryProps {
  readonly api: MailSettingsApi;
}

/**
 * "Records database" in the title bar, beside Email Integration: where the records are kept is for
 * administrators, so without one signed in the administrator's prompt comes first.
 */
export function RecordsDatabaseEntry({ api }: Readonly<RecordsDatabaseEntryProps>) {
  const { requireAdmin } = useAdmin();
  const [open, setOpen] = useState(false);
  const [asking, setAsking] = useState(false);

  const openDialog = async (): Promise<void> => {
    if (asking) return;
    setAsking(true);
    try {
      if (await requireAdmin({ action: `System Admin › ${recordsDatabaseLabels.title}`, confirm: null })) setOpen(true);
    } finally {
      setAsking(false);
    }
  };

  return (
    <>
      <Button variant="link" disabled={asking} onClick={() => void openDialog()}>
        {recordsDatabaseLabels.title}
      </Button>
      {open && <RecordsDatabaseContainer api={api} onClose={() => setOpen(false)} />}
    </>
  );
}
