import type { SendDirectSettings } from '../../shared/send-direct';
import { readinessOf, type AccountSummary, type ConnectionReadiness } from '../mail-account/connection-test-state';
import { needsPasswordForNewServer, passwordToSend, usesPassword, validateDraft, type FormState } from './send-direct-state';

/** Whether Send Direct's Test Connection can run with the form as it is, and with what. */
export function connectionReadiness(form: FormState, account: AccountSummary): ConnectionReadiness<SendDirectSettings> {
  const checked = validateDraft(form.draft);
  return readinessOf({
    draft: form.draft,
    settings: checked.ok ? checked.settings : null,
    usesPassword: usesPassword(form.draft),
    needsPasswordForNewServer: needsPasswordForNewServer(form),
    password: passwordToSend(form),
    passwordStored: form.saved.passwordStored,
    account,
  });
}
