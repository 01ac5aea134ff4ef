import { FieldNotes, fieldDescription } from './Field';

/** A small set of exclusive choices shown side by side (a segmented radio group) in a field row. */
export interface ChoiceFieldProps<T extends string> {
  readonly id: string;
  readonly label: string;
  readonly name: string;
  readonly value: T;
  readonly options: readonly T[];
  readonly labelOf: (option: T) => string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly onChange: (value: T) => void;
}

export function ChoiceField<T extends string>({ id, label, name, value, options, labelOf, hint, error, onChange }: Readonly<ChoiceFieldProps<T>>) {
  const labelId = `${id}-label`;
  const { describedBy } = fieldDescription(id, hint, error);
  return (
    <div className={error === undefined ? 'field' : 'field field--invalid'}>
      {/* A group has no single control for a <label for>: the group is named by this text instead. */}
      <span className="field__label" id={labelId}>
        {label}
      </span>
      <div className="field__control">
        <div className="segmented" role="radiogroup" id={id} aria-labelledby={labelId} aria-describedby={describedBy} aria-invalid={error !== undefined}>
          {options.map((option) => (
            <label key={option} className="segmented__option">
              <input type="radio" name={name} value={option} checked={option === value} onChange={() => onChange(option)} />
              <span>{labelOf(option)}</span>
            </label>
          ))}
        </div>
        <FieldNotes id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}
