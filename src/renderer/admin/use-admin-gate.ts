import type { Result } from '../../shared/errors';
import { ErrorCode } from '../../shared/errors';
import { callSafely } from '../call-safely';
import { useAdmin } from './admin-context';
import type { AdminConfirmation } from './admin-prompt-state';

export interface AdminGate {
  /**
   * Runs an admin-only call; when main answers ADMIN_REQUIRED, opens the administrator's prompt for `action`
   * ("Saving the Lead Inbox settings") and, once an administrator is signed in, runs it again. Cancelled, the
   * first refusal is the answer. Any other refusal (ADMIN_STORE_MISSING included) is answered as it is.
   */
  run<T>(action: string, call: () => Promise<Result<T>>): Promise<Result<T>>;
  /**
   * Seed 003: the administrator's prompt first (pre-filled when one is signed in), then "Confirm you wish to
   * proceed". True once confirmed; the call that follows still goes through `run`, and main still checks.
   */
  confirm(action: string, confirmation: AdminConfirmation): Promise<boolean>;
}

export function useAdminGate(): AdminGate {
  const { requireAdmin } = useAdmin();
  return {
    run: async (action, call) => {
      const first = await callSafely(call);
      if (first.ok || first.error.code !== ErrorCode.AdminRequired) return first;
      if (!(await requireAdmin({ action, confirm: null }))) return first;
      return callSafely(call);
    },
    confirm: (action, confirmation) => requireAdmin({ action, confirm: confirmation }),
  };
}
