import { ErrorCode, type AppError } from '../../shared/errors';
import { sharedSettingsConflictMessage } from './shared-settings-sync';

/** Shown in the inbox's dialog when its save was refused for another installation's change (shared-settings-sync.ts). */
export const sharedSettingsConflictWarning: AppError = {
  code: ErrorCode.SharedSettingsChanged,
  message: sharedSettingsConflictMessage,
  fix: 'Close this dialog and open it again: it shows the settings as the other installation saved them. Make your change again if it is still needed.',
};
