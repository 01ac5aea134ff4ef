import { firstConnectionChoices } from '../../shared/inbox';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ErrorBox } from '../components/StatusBox';
import { countOf } from './check-now-state';
import { recordDate } from './records-state';
import type { FirstConnectionState } from './use-first-connection';

export interface FirstConnectionPanelProps {
  readonly idPrefix: string;
  readonly state: FirstConnectionState;
  readonly onImportAll: () => void;
  readonly onFromNow: () => void;
}

/**
 * The first Save of an inbox whose mailbox holds mail already: how much, since when, and "Import all" or
 * "Only mail arriving from now on". From now on, the mail there now stays on the server untouched, even
 * when the inbox empties the mailbox of what arrives later.
 */
export function FirstConnectionPanel({ idPrefix, state, onImportAll, onFromNow }: Readonly<FirstConnectionPanelProps>) {
  switch (state.kind) {
    case 'none':
      return null;
    case 'asking': {
      const titleId = `${idPrefix}-first-connection`;
      return (
        <div className="first-connection" role="group" aria-labelledby={titleId}>
          <p className="status__message" id={titleId}>
            This mailbox holds {countOf(state.count, 'message')}
            {state.oldest === null ? '' : `, the oldest from ${recordDate(state.oldest)}`}.
          </p>
          <div className="connection-test__bar">
            <Button variant="primary" onClick={onImportAll}>
              {firstConnectionChoices.importAll}
            </Button>
            <Button onClick={onFromNow}>{firstConnectionChoices.fromNow}</Button>
          </div>
        </div>
      );
    }
    case 'fromNow':
      return (
        <p className="status status--success first-connection">
          Only mail arriving from now on becomes records. The {countOf(state.leftOnServer, 'message')} already in the mailbox stay on the server, untouched.
        </p>
      );
    case 'failed':
      return <ErrorBox error={state.error} />;
    default:
      return assertNever(state);
  }
}
