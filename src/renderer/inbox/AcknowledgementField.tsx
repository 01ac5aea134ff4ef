import { CheckboxField } from '../components/Field';

export interface AcknowledgementFieldProps {
  readonly idPrefix: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** Service Desk: the optional acknowledgement to whoever opens a case (off by default). */
export function AcknowledgementField({ idPrefix, checked, onChange }: Readonly<AcknowledgementFieldProps>) {
  return (
    <CheckboxField
      id={`${idPrefix}-acknowledgeNewCases`}
      label="Send an acknowledgement to whoever opens a case"
      checked={checked}
      hint="Sent through Send Direct with the case number in its subject, so that replies find their case. At most one an hour to the same sender, and never to auto-replies or to your own addresses."
      onChange={onChange}
    />
  );
}
