import { createContext, useContext } from 'react';
import type { AdminStatus } from '../../shared/admin';
import type { AdminPurpose } from './admin-prompt-state';

export interface AdminControls {
  /** What main last said; null until it answered. */
  readonly status: AdminStatus | null;
  /**
   * Opens the administrator's prompt for `purpose` (null: the user asked to sign in); answers true once an
   * administrator is signed in, and has confirmed when the purpose asks it, false when the user cancelled.
   */
  requireAdmin(purpose: AdminPurpose | null): Promise<boolean>;
  signOut(): void;
}

/** Outside an AdminProvider (a page without the app's API) nothing can be allowed: every prompt is "cancelled". */
const withoutAdministrators: AdminControls = {
  status: null,
  requireAdmin: () => Promise.resolve(false),
  signOut: () => undefined,
};

export const AdminContext = createContext<AdminControls>(withoutAdministrators);

export function useAdmin(): AdminControls {
  return useContext(AdminContext);
}
