import { channels, contract, eventNames, type Channel, type EventName, type MailSettingsApi } from '../../shared/contract';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import { invalidInputOf } from '../../shared/invalid-input';
import type { ChosenAttachment } from '../../shared/test-email';
import { webUiKeyHeader, webUiPaths, type WebUiEventLine } from '../../shared/web-ui';
import { pickFiles } from './browser-file-picker';
import { followEvents } from './event-stream';

/**
 * The preload's API for a page served by `mail-settings ui`: one method per contract channel and
 * `on(event, listener)`, the same shape, over HTTP to the page's own origin (src/shared/web-ui.ts). Every call
 * carries the launch's secret in a header; the server's dispatcher parses and answers it exactly as IPC's.
 * Only "Attach files…" differs: there is no dialog in main, so the browser's own picker chooses the files
 * and their bytes are uploaded.
 */
export function createWebApi(secret: string): MailSettingsApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const subscribed = followEvents({ [webUiKeyHeader]: secret, 'Content-Type': 'application/json' }, deliverTo(listeners));

  const call = async (channel: Channel, request: unknown): Promise<unknown> => {
    // Encoded before waiting, so a value JSON cannot carry fails at once. `{request}`: an undefined request
    // arrives as undefined, and is refused like any other malformed one.
    const body = JSON.stringify({ request });
    await subscribed;
    return answerOf(await fetch(`${webUiPaths.callPrefix}${channel}`, post(secret, 'application/json', body)));
  };

  const uploadOne = async (file: File): Promise<Result<ChosenAttachment[]>> =>
    answerOf(await fetch(`${webUiPaths.attachments}?name=${encodeURIComponent(file.name)}`, post(secret, 'application/octet-stream', file))) as Promise<
      Result<ChosenAttachment[]>
    >;

  const chooseAttachments = (request: unknown): Promise<Result<ChosenAttachment[]>> => {
    const parsed = contract.chooseAttachments.request.safeParse(request);
    if (!parsed.success) return Promise.resolve(invalidInputOf(parsed.error));
    // The browser opens its picker only for the user's click; called from elsewhere, say so rather than wait.
    if (!navigator.userActivation.isActive) {
      return Promise.resolve(fail({ code: ErrorCode.InvalidInput, message: 'Files can only be attached with the “Attach files…” button.' }));
    }
    const picked = pickFiles();
    return (async () => {
      const files = await picked;
      await subscribed;
      const chosen: ChosenAttachment[] = [];
      // One at a time, as main's dialog checks them: the first file refused is the answer.
      for (const file of files) {
        const uploaded = await uploadOne(file);
        if (!uploaded.ok) return uploaded;
        chosen.push(...uploaded.value);
      }
      return ok(chosen);
    })();
  };

  const api = {
    ...Object.fromEntries(channels.map((channel) => [channel, (request: unknown) => call(channel, request)])),
    chooseAttachments,
    on: (event: EventName, listener: (payload: unknown) => void) => {
      if (!eventNames.includes(event)) throw new Error(`Unknown event ${String(event)}`);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
  };
  return Object.freeze(api) as unknown as MailSettingsApi;
}

function post(secret: string, contentType: string, body: BodyInit): RequestInit {
  return { method: 'POST', headers: { [webUiKeyHeader]: secret, 'Content-Type': contentType }, body, cache: 'no-store', credentials: 'omit', redirect: 'error' };
}

/** The Result the server answered; any other answer (refused, gone) rejects, as a broken IPC call does. */
async function answerOf(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`Mail Settings answered HTTP ${response.status}.`);
  return response.json();
}

/** Each listener of the event gets the payload; one that throws is reported without stopping the others. */
function deliverTo(listeners: ReadonlyMap<EventName, ReadonlySet<(payload: unknown) => void>>): (line: WebUiEventLine) => void {
  return ({ event, payload }) => {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        reportError(error);
      }
    }
  };
}
