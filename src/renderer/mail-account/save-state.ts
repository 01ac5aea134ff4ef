import type { AppError } from '../../shared/errors';

/** Where a form's Save is: what the save bar says beside its buttons. */
export type SaveState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved' }
  /** The renderer's own check failed: nothing was sent. */
  | { readonly kind: 'invalid' }
  | { readonly kind: 'failed'; readonly error: AppError };

/** After the first edit following a save, "Settings saved." no longer describes the form. */
export function afterEdit(save: SaveState): SaveState {
  return save.kind === 'saving' ? save : { kind: 'idle' };
}
