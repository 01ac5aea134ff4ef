import type { ServerResponse } from 'node:http';
import type { EventName, EventPayloads } from '../../shared/contract';
import type { WebUiEventLine } from '../../shared/web-ui';

/** Subscribes to the runtime's events (EventBus.subscribe); answers the unsubscribe. */
export type SubscribeToEvents = (listener: <E extends EventName>(event: E, payload: EventPayloads[E]) => void) => () => void;

/**
 * The events main sends to windows, to one page: NDJSON (one JSON object per line), for as long as the
 * response stays open. The headers go out at once, so the page knows it is subscribed before it makes a
 * call whose effects it must hear of. The subscription ends when the page goes away.
 */
export function streamEvents(response: ServerResponse, subscribe: SubscribeToEvents): void {
  response.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  response.flushHeaders();
  const unsubscribe = subscribe((event, payload) => {
    const line: WebUiEventLine = { event, payload };
    response.write(`${JSON.stringify(line)}\n`);
  });
  response.once('close', unsubscribe);
}
