import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AdminStatus } from '../../shared/admin';
import type { MailSettingsApi } from '../../shared/contract';
import type { AppError, Result } from '../../shared/errors';
import { callSafely } from '../call-safely';
import { AdminContext, type AdminControls } from './admin-context';
import { adminPromptReducer, checkAdminStep, openAdminPrompt, type AdminPromptAction, type AdminPromptState, type AdminPurpose } from './admin-prompt-state';
import { AdminPrompt } from './AdminPrompt';
import { useAdminActivity } from './use-admin-activity';

export interface AdminProviderProps {
  readonly api: MailSettingsApi;
  readonly children: ReactNode;
}

/**
 * Holds what the window knows of its administrator (main's `getAdminStatus`, then `adminChanged`) and the one
 * administrator prompt: any admin-only action of the window opens it through `requireAdmin` and goes on
 * once it answers. Main decides every step; nothing here lets an action through by itself.
 */
export function AdminProvider({ api, children }: Readonly<AdminProviderProps>) {
  const [status, setStatus] = useState<AdminStatus | null>(null);
  const [prompt, setPrompt] = useState<AdminPromptState | null>(null);
  const waiting = useRef<((signedIn: boolean) => void) | null>(null);
  const busy = useRef(false);

  useEffect(() => {
    let current = true;
    void callSafely(() => api.getAdminStatus({})).then((result) => {
      if (current && result.ok) setStatus(result.value);
    });
    const stop = api.on('adminChanged', setStatus);
    return () => {
      current = false;
      stop();
    };
  }, [api]);

  useAdminActivity(api, status?.signedIn ?? null, setStatus);

  // The prompt as last set, for the steps that end after an await (the state of that render is stale by then).
  const shownPrompt = useRef<AdminPromptState | null>(null);
  const showPrompt = useCallback((next: AdminPromptState | null) => {
    shownPrompt.current = next;
    setPrompt(next);
  }, []);

  const settle = useCallback(
    (signedIn: boolean) => {
      const answer = waiting.current;
      waiting.current = null;
      showPrompt(null);
      answer?.(signedIn);
    },
    [showPrompt],
  );

  const dispatch = useCallback(
    (action: AdminPromptAction) => {
      const shown = shownPrompt.current;
      if (shown === null) return;
      const next = adminPromptReducer(shown, action);
      // Signed in (and confirmed): the action that asked goes on.
      if (next.step.kind === 'done') settle(true);
      else showPrompt(next);
    },
    [settle, showPrompt],
  );

  const requireAdmin = useCallback(
    async (purpose: AdminPurpose | null): Promise<boolean> => {
      // A prompt already open for another action gives way: that action stays undone.
      waiting.current?.(false);
      waiting.current = null;
      // Fresh from main: the session may have ended (15 idle minutes) since the window last heard.
      const fresh = await callSafely(() => api.getAdminStatus({}));
      if (!fresh.ok) return false;
      setStatus(fresh.value);
      const opened = openAdminPrompt(purpose, fresh.value);
      if (opened.step.kind === 'done') return true;
      return new Promise<boolean>((resolve) => {
        waiting.current = resolve;
        showPrompt(opened);
      });
    },
    [api, showPrompt],
  );

  const submit = async (shown: AdminPromptState): Promise<void> => {
    if (busy.current) return;
    const checked = checkAdminStep(shown.step);
    if (!checked.ok) {
      dispatch({ type: 'rejectedLocally', errors: checked.errors });
      return;
    }
    const { email, secret } = checked;
    const step = shown.step.kind;
    busy.current = true;
    dispatch({ type: 'started' });
    const failed = (error: AppError): void => dispatch({ type: 'failed', error });
    try {
      switch (step) {
        case 'createFirst':
          answer(await callSafely(() => api.createFirstAdmin({ email, password: secret })), (setup) => dispatch({ type: 'firstCreated', setup }), failed);
          break;
        case 'signIn':
          answer(await callSafely(() => api.adminSignInPassword({ email, password: secret })), (next) => dispatch({ type: 'passwordAccepted', next }), failed);
          break;
        case 'setUpTwoFactor':
          answer(
            await callSafely(() => api.confirmTwoFactor({ email, code: secret })),
            (enabled) => {
              setStatus(enabled.status);
              dispatch({ type: 'twoFactorEnabled', recoveryCodes: enabled.recoveryCodes, email });
            },
            failed,
          );
          break;
        case 'code':
          answer(
            await callSafely(() => api.adminSignInCode({ email, code: secret })),
            (signedIn) => {
              setStatus(signedIn);
              dispatch({ type: 'signedIn', email: signedIn.signedIn?.email ?? email });
            },
            failed,
          );
          break;
        default:
          break;
      }
    } finally {
      busy.current = false;
    }
  };

  const signOut = useCallback(() => {
    void callSafely(() => api.adminSignOut({})).then((result) => {
      if (result.ok) setStatus(result.value);
    });
  }, [api]);

  const controls = useMemo<AdminControls>(() => ({ status, requireAdmin, signOut }), [status, requireAdmin, signOut]);

  return (
    <AdminContext value={controls}>
      {children}
      {prompt !== null && (
        <AdminPrompt
          state={prompt}
          onEdit={(field, value) => dispatch({ type: 'edit', field, value })}
          onSubmit={() => void submit(prompt)}
          onCodesSaved={() => dispatch({ type: 'codesSaved' })}
          onConfirm={() => dispatch({ type: 'confirmed' })}
          onCancel={() => settle(false)}
        />
      )}
    </AdminContext>
  );
}

function answer<T>(result: Result<T>, onValue: (value: T) => void, onError: (error: AppError) => void): void {
  if (result.ok) onValue(result.value);
  else onError(result.error);
}
