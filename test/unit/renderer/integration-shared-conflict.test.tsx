import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { sharedSettingsConflictWarning } from '../../../src/main/settings/shared-settings-conflict';
import { aliasesReducer, initialAliasesState, type AliasesAction } from '../../../src/renderer/integration/alias-state';
import { AliasesPanel } from '../../../src/renderer/integration/AliasesPanel';
import { dashboardReducer, initialDashboardState, type DashboardAction } from '../../../src/renderer/integration/dashboard-state';
import { DeleteIntegrationDialog } from '../../../src/renderer/integration/DeleteIntegrationDialog';
import {
  existingIntegrationForm,
  integrationFormReducer,
  integrationTestReadiness,
  isIntegrationDirty,
  shownIntegrationErrors,
  shownIntegrationTest,
  type IntegrationFormAction,
  type IntegrationFormState,
} from '../../../src/renderer/integration/integration-form-state';
import { IntegrationFormDialog } from '../../../src/renderer/integration/IntegrationFormDialog';
import type { AliasView, IntegrationCredentialView } from '../../../src/shared/integration';

/**
 * Team mode (issue 16): main refuses a change of Email Integration made on a list another installation had
 * changed meanwhile (SHARED_SETTINGS_CHANGED). Each place a change is made says so where its outcome is
 * announced (role="status"), with what to do, and keeps what the administrator typed.
 */

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

function isElement(node: DefaultTreeAdapterTypes.ChildNode): node is Element {
  return 'tagName' in node;
}

function elementsOf(parent: ParentNode): Element[] {
  const children = 'content' in parent && parent.nodeName === 'template' ? parent.content.childNodes : parent.childNodes;
  return children.filter(isElement).flatMap((element) => [element, ...elementsOf(element)]);
}

function textOf(parent: ParentNode): string {
  return parent.childNodes.map((node) => ('value' in node && node.nodeName === '#text' ? node.value : isElement(node) ? textOf(node) : '')).join('');
}

const attribute = (element: Element, name: string): string | undefined => element.attrs.find((attr) => attr.name === name)?.value;

/** The page as the component renders it: the text of its status regions, and the value of each input. */
function rendered(component: ReactElement): { readonly statuses: string[]; readonly valueOf: (id: string) => string | undefined } {
  const elements = elementsOf(parseFragment(renderToStaticMarkup(component)));
  return {
    statuses: elements.filter((element) => attribute(element, 'role') === 'status').map(textOf),
    valueOf: (id) => {
      const input = elements.find((element) => attribute(element, 'id') === id);
      return input && attribute(input, 'value');
    },
  };
}

const { message, fix } = sharedSettingsConflictWarning;
const conflictSaid = expect.arrayContaining([expect.stringContaining(message)]);
const fixSaid = expect.arrayContaining([expect.stringContaining(fix ?? 'a fix')]);

const sales: IntegrationCredentialView = {
  id: 'a1b2c3d4e5f6',
  kind: 'integration',
  configurationName: 'Sales mailbox',
  mailbox: 'sales@example.com',
  host: 'imap.example.com',
  authMethod: 'password',
  settings: { mailbox: 'sales@example.com', host: 'imap.example.com', port: 993, secure: true, configurationName: 'Sales mailbox', description: 'Web leads', authMethod: 'password' },
  hasPassword: true,
  status: null,
  lastSuccessAt: null,
  stale: false,
  aliasCount: 1,
};
const noop = (): void => undefined;

function detailsDialog(form: IntegrationFormState): ReactElement {
  const readiness = integrationTestReadiness(form);
  return (
    <IntegrationFormDialog
      mode={form.mode}
      draft={form.draft}
      errors={shownIntegrationErrors(form)}
      save={form.save}
      dirty={isIntegrationDirty(form)}
      test={shownIntegrationTest(form, readiness.key)}
      notReadyReason={readiness.ready ? null : readiness.reason}
      destinationChanged={false}
      notice={form.notice}
      onEdit={noop}
      onLeave={noop}
      onTest={noop}
      onSave={noop}
      onChangePassword={noop}
      onClose={noop}
      aliases={null}
      subDialog={null}
      modernAuth={null}
    />
  );
}

describe('Email Integration: a change refused for another installation’s', () => {
  it('Details › Save says why beside Save, with what to do, and keeps the values typed', () => {
    const opened = existingIntegrationForm(sales);
    if (opened === null) throw new Error('an added mailbox has Details');
    const actions: IntegrationFormAction[] = [
      { type: 'edit', field: 'configurationName', value: 'Web sales' },
      { type: 'saveStarted' },
      { type: 'saveFailed', error: sharedSettingsConflictWarning },
    ];
    const page = rendered(detailsDialog(actions.reduce(integrationFormReducer, opened)));
    expect(page.statuses).toEqual(conflictSaid);
    expect(page.statuses).toEqual(fixSaid);
    expect(page.statuses.join(' ')).not.toContain('Settings saved.');
    expect(page.valueOf('integration-configurationName')).toBe('Web sales');
  });

  it('Add alias says why under the aliases, with what to do, and keeps the address typed', () => {
    const own: AliasView = { id: 'd1', address: sales.mailbox, credentialId: sales.id, target: { kind: 'lead', activityType: 'Web Lead', owner: '' }, isDefault: true };
    const actions: AliasesAction[] = [
      { type: 'loaded', aliases: [own] },
      { type: 'edit', field: 'address', value: 'sales+web@example.com' },
      { type: 'addStarted' },
      { type: 'refused', error: sharedSettingsConflictWarning },
    ];
    const state = actions.reduce(aliasesReducer, initialAliasesState('Web Lead'));
    const page = rendered(
      <AliasesPanel credentialId={sales.id} mailbox={sales.mailbox} state={state} activityTypes={['Web Lead']} onEdit={noop} onChooseTarget={noop} onAdd={noop} onDelete={noop} onRetry={noop} />,
    );
    expect(page.statuses).toEqual(conflictSaid);
    expect(page.statuses).toEqual(fixSaid);
    expect(page.valueOf('integration-alias-address')).toBe('sales+web@example.com');
  });

  it('Delete says why in its confirmation, with what to do', () => {
    const actions: DashboardAction[] = [
      { type: 'loaded', rows: [sales] },
      { type: 'askDelete', id: sales.id },
      { type: 'deleteStarted' },
      { type: 'deleteRefused', error: sharedSettingsConflictWarning },
    ];
    const { dialog } = actions.reduce(dashboardReducer, initialDashboardState);
    if (dialog.kind !== 'delete') throw new Error('the confirmation stays open');
    const page = rendered(<DeleteIntegrationDialog row={sales} busy={dialog.busy} error={dialog.error} onConfirm={noop} onCancel={noop} />);
    expect(page.statuses).toEqual(conflictSaid);
    expect(page.statuses).toEqual(fixSaid);
  });
});
