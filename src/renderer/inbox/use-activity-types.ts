import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { ActivityTypeView } from '../../shared/inbox';
import { useAdminGate } from '../admin/use-admin-gate';
import { callSafely } from '../call-safely';
import { activityTypesReducer, initialActivityTypesState, typesOf, type ActivityTypesState } from './activity-types-state';

export interface ActivityTypesControls {
  readonly state: ActivityTypesState;
  reload(): void;
  editNewName(value: string): void;
  add(): void;
  startRename(id: number): void;
  editRename(value: string): void;
  cancelRename(): void;
  /** Answers the old and new name once main renamed it, so a form that had it chosen can follow. */
  confirmRename(): Promise<{ readonly from: string; readonly to: string } | null>;
  retire(id: number): void;
}

/** The container side of the Type manager: loads the activity types and sends each change to main. */
export function useActivityTypes(api: MailSettingsApi): ActivityTypesControls {
  const [state, dispatch] = useReducer(activityTypesReducer, initialActivityTypesState);
  const busy = useRef(false);
  const gate = useAdminGate();

  const load = useCallback(async () => {
    const result = await callSafely(() => api.listActivityTypes({}));
    dispatch(result.ok ? { type: 'loaded', types: result.value } : { type: 'loadFailed', error: result.error });
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  /** One change at a time; each answers the new list. */
  const change = async (
    id: number | null,
    call: () => Promise<Result<ActivityTypeView[]>>,
    renaming: { readonly id: number; readonly name: string } | null,
  ): Promise<boolean> => {
    if (busy.current) return false;
    busy.current = true;
    dispatch({ type: 'changeStarted', id });
    try {
      // Managing activity types is for administrators (issue 14): without one, main refuses and the prompt opens.
      const result = await gate.run('Managing activity types', call);
      dispatch(result.ok ? { type: 'changed', types: result.value, added: id === null } : { type: 'changeRefused', error: result.error, renaming });
      return result.ok;
    } finally {
      busy.current = false;
    }
  };

  return {
    state,
    reload: () => void load(),
    editNewName: (value) => dispatch({ type: 'editNewName', value }),
    add: () => void change(null, () => api.addActivityType({ name: state.newName }), null),
    startRename: (id) => dispatch({ type: 'startRename', id }),
    editRename: (value) => dispatch({ type: 'editRename', value }),
    cancelRename: () => dispatch({ type: 'cancelRename' }),
    confirmRename: async () => {
      if (state.edit.kind !== 'renaming') return null;
      const { id, name } = state.edit;
      const from = typesOf(state).find((type) => type.id === id)?.name;
      const renamed = await change(id, () => api.renameActivityType({ id, name }), { id, name });
      return renamed && from !== undefined ? { from, to: name.trim() } : null;
    },
    retire: (id) => void change(id, () => api.retireActivityType({ id }), null),
  };
}
