import type { IntegrationCredentialView } from '../../shared/integration';

/** The heading id of each built-in mailbox's section in the window (App.tsx, InboxModule.tsx). */
const sectionTitleIds: Readonly<Record<Exclude<IntegrationCredentialView['kind'], 'integration'>, string>> = {
  sendDirect: 'send-direct-title',
  leadInbox: 'lead-inbox-title',
  serviceDeskInbox: 'service-desk-inbox-title',
};

/**
 * "Go to …" from a built-in mailbox's Details: once the Email Integration dialogs have closed (and given the
 * focus back), an inbox's own dialog opens from its gear button, as if the user had clicked it; Send Direct,
 * edited in place, gets the keyboard on its first field.
 */
export function goToMailboxSection(kind: IntegrationCredentialView['kind']): void {
  if (kind === 'integration') return;
  requestAnimationFrame(() => {
    const section = document.getElementById(sectionTitleIds[kind])?.closest('section');
    if (!section) return;
    section.scrollIntoView({ block: 'start' });
    const gear = section.querySelector<HTMLButtonElement>('.module__gear');
    if (gear) {
      gear.focus();
      gear.click();
      return;
    }
    section.querySelector<HTMLElement>('input, select, button')?.focus();
  });
}
