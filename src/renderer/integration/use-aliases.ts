import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { MailSettingsApi } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { AliasView } from '../../shared/integration';
import { useAdminGate } from '../admin/use-admin-gate';
import { callSafely } from '../call-safely';
import { aliasesReducer, checkAliasDraft, initialAliasesState, type AliasesState, type AliasField, type AliasTargetKind } from './alias-state';

export interface AliasesControls {
  readonly state: AliasesState;
  /** The activity types a Lead Inbox alias can give its notes. */
  readonly activityTypes: readonly string[];
  edit(field: AliasField, value: string): void;
  chooseTarget(kind: AliasTargetKind): void;
  add(): void;
  remove(alias: AliasView): void;
  reload(): void;
}

/** The container side of a mailbox's Aliases: loads them (again on `integrationsChanged`) and sends each change. */
export function useAliases(api: MailSettingsApi, credentialId: string): AliasesControls {
  const [state, dispatch] = useReducer(aliasesReducer, undefined, () => initialAliasesState());
  const [activityTypes, setActivityTypes] = useState<readonly string[]>([]);
  const busy = useRef(false);
  const gate = useAdminGate();

  const load = useCallback(async () => {
    const result = await callSafely(() => api.listAliases({ credentialId }));
    dispatch(result.ok ? { type: 'loaded', aliases: result.value } : { type: 'loadFailed', error: result.error });
  }, [api, credentialId]);

  useEffect(() => {
    void load();
    // An alias added or deleted elsewhere (another window, the CLI) shows here too.
    const stop = api.on('integrationsChanged', () => void load());
    void callSafely(() => api.listActivityTypes({})).then((result) => {
      if (result.ok) setActivityTypes(result.value.filter((type) => !type.retired).map((type) => type.name));
    });
    return stop;
  }, [api, load]);

  const change = async (call: () => Promise<Result<AliasView[]>>, done: string): Promise<void> => {
    try {
      const result = await gate.run('Changing the aliases of Email Integration', call);
      dispatch(result.ok ? { type: 'changed', aliases: result.value, done } : { type: 'refused', error: result.error });
    } finally {
      busy.current = false;
    }
  };

  return {
    state,
    activityTypes,
    edit: (field, value) => dispatch({ type: 'edit', field, value }),
    chooseTarget: (kind) => dispatch({ type: 'chooseTarget', kind }),
    add: () => {
      if (busy.current) return;
      const checked = checkAliasDraft(credentialId, state.draft);
      if (!checked.ok) {
        dispatch({ type: 'rejectedLocally', errors: checked.errors });
        return;
      }
      busy.current = true;
      dispatch({ type: 'addStarted' });
      void change(() => api.addAlias(checked.input), `${checked.input.address.trim().toLowerCase()} added.`);
    },
    remove: (alias) => {
      if (busy.current) return;
      busy.current = true;
      dispatch({ type: 'deleteStarted', id: alias.id });
      void change(() => api.deleteAlias({ id: alias.id }), `${alias.address} deleted.`);
    },
    reload: () => void load(),
  };
}
