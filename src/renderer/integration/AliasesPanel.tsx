import type { FormEvent } from 'react';
import type { AliasView } from '../../shared/integration';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ChoiceField } from '../components/ChoiceField';
import { CheckIcon, Field, TextField } from '../components/Field';
import { ErrorBox } from '../components/StatusBox';
import { aliasesOf, aliasTargetKinds, aliasTargetLabels, describeAliasTarget, type AliasesState, type AliasField, type AliasTargetKind } from './alias-state';

export interface AliasesPanelProps {
  readonly credentialId: string;
  readonly mailbox: string;
  readonly state: AliasesState;
  /** The activity types offered for Lead Inbox notes (not the retired ones). */
  readonly activityTypes: readonly string[];
  readonly onEdit: (field: AliasField, value: string) => void;
  readonly onChooseTarget: (kind: AliasTargetKind) => void;
  readonly onAdd: () => void;
  readonly onDelete: (alias: AliasView) => void;
  readonly onRetry: () => void;
}

const idPrefix = 'integration-alias';

/**
 * The mailbox's aliases: which delivered-to address becomes which record, with its defaults. The default
 * alias (the mailbox's own address) has no Delete: it goes with the mailbox.
 */
export function AliasesPanel(props: Readonly<AliasesPanelProps>) {
  const { state } = props;
  const { draft, errors } = state;
  const adding = state.busy.kind === 'adding';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    props.onAdd();
  };

  return (
    <section className="inbox-dialog__group" aria-labelledby={`${idPrefix}s-title`}>
      <h3 className="inbox-dialog__group-title" id={`${idPrefix}s-title`}>
        Aliases
      </h3>
      <p className="inbox-dialog__sentence">
        A message delivered to {props.mailbox} under one of these addresses (its To or Delivered-To) becomes a record with these defaults.
      </p>
      <AliasList {...props} />
      <div role="status" aria-live="polite">
        {state.done !== null && (
          <p className="status status--success">
            <CheckIcon />
            <span>{state.done}</span>
          </p>
        )}
        {state.failure !== null && <ErrorBox error={state.failure} />}
      </div>
      <form className="alias-add" noValidate onSubmit={submit} aria-busy={adding} aria-labelledby={`${idPrefix}-add-title`}>
        <h4 className="alias-add__title" id={`${idPrefix}-add-title`}>
          Add an alias
        </h4>
        <TextField
          id={`${idPrefix}-address`}
          label="Alias address"
          required
          type="email"
          inputMode="email"
          placeholder="For example sales+web@yourcompany.com"
          value={draft.address}
          error={errors.address}
          onChange={(value) => props.onEdit('address', value)}
        />
        <ChoiceField
          id={`${idPrefix}-target`}
          name={`${idPrefix}-target`}
          label="Creates"
          value={draft.targetKind}
          options={aliasTargetKinds}
          labelOf={(kind) => aliasTargetLabels[kind]}
          onChange={props.onChooseTarget}
        />
        {draft.targetKind === 'lead' ? (
          <>
            <Field id={`${idPrefix}-activityType`} label="Activity type" required error={errors.activityType}>
              {(control) => (
                <select {...control} className="input select" value={draft.activityType} onChange={(event) => props.onEdit('activityType', event.currentTarget.value)}>
                  <option value="">Choose a type…</option>
                  {props.activityTypes.map((type) => (
                    <option key={type} value={type}>
                      {type}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <TextField
              id={`${idPrefix}-owner`}
              label="Owner"
              hint="Who the notes are assigned to; empty leaves them unassigned."
              value={draft.owner}
              error={errors.owner}
              onChange={(value) => props.onEdit('owner', value)}
            />
          </>
        ) : (
          <TextField
            id={`${idPrefix}-queue`}
            label="Case queue"
            required
            placeholder="For example Support"
            value={draft.queue}
            error={errors.queue}
            onChange={(value) => props.onEdit('queue', value)}
          />
        )}
        <div className="alias-add__actions">
          <Button type="submit" disabled={state.busy.kind !== 'idle'}>
            {adding ? 'Adding…' : 'Add alias'}
          </Button>
        </div>
      </form>
    </section>
  );
}

function AliasList(props: Readonly<AliasesPanelProps>) {
  const { list, busy } = props.state;
  switch (list.kind) {
    case 'loading':
      return (
        <p className="status status--muted" role="status">
          Loading the aliases…
        </p>
      );
    case 'loadFailed':
      return (
        <ErrorBox error={list.error}>
          <div className="result__actions">
            <Button onClick={props.onRetry}>Try again</Button>
          </div>
        </ErrorBox>
      );
    case 'loaded':
      return (
        <ul className="types aliases" aria-label={`Aliases of ${props.mailbox}`}>
          {aliasesOf(list, props.credentialId).map((alias) => (
            <li key={alias.id} className="types__item" data-alias-address={alias.address}>
              <span className="types__name">{alias.address}</span>
              <span className="types__state">
                {describeAliasTarget(alias.target)}
                {alias.isDefault ? ' · default alias' : ''}
              </span>
              {!alias.isDefault && (
                <span className="types__actions">
                  <Button variant="link" disabled={busy.kind !== 'idle'} onClick={() => props.onDelete(alias)}>
                    {busy.kind === 'deleting' && busy.id === alias.id ? 'Deleting…' : 'Delete'}
                    <span className="visually-hidden"> {alias.address}</span>
                  </Button>
                </span>
              )}
            </li>
          ))}
        </ul>
      );
    default:
      return assertNever(list);
  }
}
