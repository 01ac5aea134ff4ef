import { folderHelp, inboxLabels } from '../../shared/inbox';
import { TextField } from '../components/Field';

export interface FolderFieldProps {
  readonly idPrefix: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
}

/** The folder the inbox empties: INBOX, or the one a rule on the server files the mail in. */
export function FolderField({ idPrefix, value, error, onChange, onBlur }: Readonly<FolderFieldProps>) {
  return <TextField id={`${idPrefix}-folder`} label={inboxLabels.folder} required value={value} error={error} hint={folderHelp} onChange={onChange} onBlur={onBlur} />;
}
