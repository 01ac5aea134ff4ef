import type { AppServices } from '../../src/main/services';
import { authenticatorCode, testAdminPassword } from './admin-totp';

/**
 * Creates the first administrator on these services and signs them in as a user would (set-up key read
 * off, code from an independent TOTP implementation), so admin-only channels answer.
 */
export async function signInFirstAdmin(services: AppServices, email = 'admin@example.test'): Promise<void> {
  const setup = await services.admin.createFirst(email, testAdminPassword);
  if (!setup.ok) throw new Error(`createFirst: ${setup.error.code} ${setup.error.message}`);
  const enabled = await services.admin.confirmTwoFactor(email, authenticatorCode(setup.value.setupKey));
  if (!enabled.ok) throw new Error(`confirmTwoFactor: ${enabled.error.code} ${enabled.error.message}`);
}
