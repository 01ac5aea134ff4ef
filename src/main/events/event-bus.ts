import type { EventName, EventPayloads } from '../../shared/contract';

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void;

/**
 * The events main sends to the renderer. Services emit; the Electron layer (and the web UI) subscribe
 * and forward to windows. Plain Node, so services stay testable.
 */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void;
  subscribe(listener: <E extends EventName>(event: E, payload: EventPayloads[E]) => void): () => void;
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
}

/**
 * `outgoing` sees every payload before any listener does: the runtime blanks known secrets from the errors
 * in it (an account's `reason` may quote a server), since events reach windows without passing dispatch.
 */
export function createEventBus(outgoing: <T>(payload: T) => T = (payload) => payload): EventBus {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      const sent = outgoing(payload);
      for (const listener of listeners) listener(event, sent);
    },
    subscribe(listener) {
      const wrapped = listener as (event: EventName, payload: unknown) => void;
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    on(event, listener) {
      const wrapped = (name: EventName, payload: unknown): void => {
        if (name === event) (listener as (p: unknown) => void)(payload);
      };
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
  };
}
