import { inboxLabels, sharedMailboxExplanation, sharedMailboxOption } from '../../shared/inbox';
import { CheckboxField, TextField } from '../components/Field';

export interface SharedMailboxFieldsProps {
  readonly idPrefix: string;
  readonly chosen: boolean;
  readonly address: string;
  readonly error: string | undefined;
  readonly onChoose: (chosen: boolean) => void;
  readonly onEdit: (address: string) => void;
  readonly onBlur: () => void;
}

/**
 * "This is a shared mailbox" (Office 365): the sentence saying that a member with Full Access signs in,
 * and, once ticked, the shared mailbox's address, which is what the inbox reads.
 */
export function SharedMailboxFields({ idPrefix, chosen, address, error, onChoose, onEdit, onBlur }: Readonly<SharedMailboxFieldsProps>) {
  return (
    <>
      <CheckboxField id={`${idPrefix}-sharedMailboxChosen`} label={sharedMailboxOption} checked={chosen} hint={sharedMailboxExplanation} onChange={onChoose} />
      {chosen && (
        <TextField
          id={`${idPrefix}-sharedMailbox`}
          label={inboxLabels.sharedMailbox}
          required
          type="email"
          inputMode="email"
          placeholder="sales@yourcompany.com"
          value={address}
          error={error}
          onChange={onEdit}
          onBlur={onBlur}
        />
      )}
    </>
  );
}
