import { inboxLabels } from '../../shared/inbox';
import { TextField } from '../components/Field';

export interface ScheduleFieldProps {
  readonly idPrefix: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

/** "Check for new mail every N minutes": how often the running app empties the inbox on its own. */
export function ScheduleField({ idPrefix, value, error, onChange, onBlur }: Readonly<ScheduleFieldProps>) {
  return (
    <TextField
      id={`${idPrefix}-checkEveryMinutes`}
      label={inboxLabels.checkEveryMinutes}
      required
      inputMode="numeric"
      value={value}
      error={error}
      hint="While Mail Settings is open, from 1 to 1440. New mail is also noticed within seconds when the server announces it (IMAP IDLE)."
      onChange={onChange}
      onBlur={onBlur}
    />
  );
}
