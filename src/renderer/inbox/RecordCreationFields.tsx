import { inboxLabels, recordCreationText } from '../../shared/inbox';
import { Field } from '../components/Field';
import { GearIcon } from './icons';

export interface RecordCreationFieldsProps {
  readonly idPrefix: string;
  readonly recordType: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly error: string | undefined;
  /** Why the list of types is not shown (it could not be loaded), or null. */
  readonly typesProblem: string | null;
  readonly onChoose: (value: string) => void;
  readonly onManageTypes: () => void;
}

/** RECORD CREATION (seed 000): the sentence, the Type dropdown and the gear that manages the types. */
export function RecordCreationFields({ idPrefix, recordType, options, error, typesProblem, onChoose, onManageTypes }: Readonly<RecordCreationFieldsProps>) {
  return (
    <>
      <p className="inbox-dialog__sentence">{recordCreationText}</p>
      <Field id={`${idPrefix}-recordType`} label={inboxLabels.recordType} required error={error} hint={typesProblem ?? undefined}>
        {(control) => (
          <div className="type-row">
            <select {...control} className="input select" value={recordType} onChange={(event) => onChoose(event.currentTarget.value)}>
              {options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
            <button type="button" className="icon-button" aria-label="Manage activity types" title="Manage activity types" onClick={onManageTypes}>
              <GearIcon />
            </button>
          </div>
        )}
      </Field>
    </>
  );
}
