import type { InboxSettings } from '../../shared/inbox';
import { readinessOf, type AccountSummary, type ConnectionReadiness } from '../mail-account/connection-test-state';
import { needsPasswordForNewServer, passwordToSend, usesPassword, validateInboxDraft, type InboxFormState } from './inbox-form-state';

/**
 * Whether an inbox's Test Connection can run with the form as it is, and with what: a password sign-in
 * needs its password, Modern Authentication the inbox's own live sign-in (`account`), as in Send Direct.
 */
export function inboxConnectionReadiness(form: InboxFormState, account: AccountSummary): ConnectionReadiness<InboxSettings> {
  const checked = validateInboxDraft(form.draft);
  return readinessOf<InboxSettings>({
    draft: form.draft,
    settings: checked.ok ? checked.settings : null,
    usesPassword: usesPassword(form.draft),
    needsPasswordForNewServer: needsPasswordForNewServer(form),
    password: passwordToSend(form),
    passwordStored: form.saved.passwordStored,
    account,
  });
}
