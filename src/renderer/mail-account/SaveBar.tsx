import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { CheckIcon, WarningIcon } from '../components/Field';
import type { SaveState } from './save-state';

export interface SaveBarProps {
  readonly save: SaveState;
  readonly dirty: boolean;
  /** Send Direct's Cancel has nothing to undo on a clean form; a dialog's Cancel always closes it. */
  readonly cancelDisabled: boolean;
  readonly onCancel: () => void;
}

/** Save and Cancel under a form, with what happened to the last Save beside them. */
export function SaveBar({ save, dirty, cancelDisabled, onCancel }: Readonly<SaveBarProps>) {
  const saving = save.kind === 'saving';
  return (
    <div className="save-bar">
      {/* Always in the DOM, so screen readers announce what appears in it. */}
      <div className={save.kind === 'failed' ? 'save-bar__status save-bar__status--wide' : 'save-bar__status'} role="status" aria-live="polite">
        <SaveStatus save={save} dirty={dirty} />
      </div>
      <div className="save-bar__buttons">
        <Button variant="primary" type="submit" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
        <Button disabled={cancelDisabled || saving} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

function SaveStatus({ save, dirty }: Readonly<{ save: SaveState; dirty: boolean }>) {
  switch (save.kind) {
    case 'idle':
      return dirty ? <p className="status status--muted">You have unsaved changes.</p> : null;
    case 'saving':
      return <p className="status status--muted">Saving your settings…</p>;
    case 'saved':
      return (
        <p className="status status--success">
          <CheckIcon />
          <span>Settings saved.</span>
        </p>
      );
    case 'invalid':
      return (
        <p className="status status--error">
          <WarningIcon />
          <span>Some settings need your attention. Nothing was saved.</span>
        </p>
      );
    case 'failed':
      return (
        <div className="status status--error status--block" data-error-code={save.error.code}>
          <WarningIcon />
          <div>
            <p className="status__message">{save.error.message}</p>
            {save.error.fix !== undefined && <p className="status__fix">{save.error.fix}</p>}
          </div>
        </div>
      );
    default:
      return assertNever(save);
  }
}
