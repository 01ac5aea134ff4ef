import { constants } from 'node:os';

export type StopSignal = 'SIGTERM' | 'SIGINT';

/** What delivers signals: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
  listeners(signal: StopSignal): Array<(...args: never[]) => unknown>;
}

export interface StopSignals {
  /** The first SIGTERM or SIGINT (a service manager's stop, Ctrl-C). */
  readonly first: Promise<StopSignal>;
  /** What a second one does: the caller gives up waiting for the runs in flight. */
  onSecond(handler: (signal: StopSignal) => void): void;
  /**
   * Removes every other listener of both signals, once the modules that add them are loaded. The
   * settings library's exit hook (conf → atomically → when-exit) answers SIGTERM and SIGINT by sending
   * the same signal to the process again, to end it the default way: that second signal would turn a
   * graceful stop into a forced one. Its 'exit' hook, which removes temporary files, stays.
   */
  ownAlone(): void;
  /** Back to the default handling of both signals. */
  dispose(): void;
}

/** The conventional exit status of a process ended by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function exitCodeFor(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * Listens from the start, so a stop that arrives while the service is still starting is not lost (and
 * does not kill the process halfway through opening the records database). A second signal before
 * `onSecond` is given ends the process the default way's equivalent, `exitNow`.
 */
export function listenForStopSignals(source: SignalSource, exitNow: (code: number) => void): StopSignals {
  let received = 0;
  let second: (signal: StopSignal) => void = (signal) => exitNow(exitCodeFor(signal));
  let resolveFirst: (signal: StopSignal) => void = () => undefined;
  const first = new Promise<StopSignal>((resolve) => (resolveFirst = resolve));
  const listeners = (['SIGTERM', 'SIGINT'] as const).map((signal) => {
    const listener = (): void => {
      received += 1;
      if (received === 1) resolveFirst(signal);
      else second(signal);
    };
    source.on(signal, listener);
    return { signal, listener };
  });
  return {
    first,
    onSecond: (handler) => {
      second = handler;
    },
    ownAlone: () => {
      for (const { signal, listener } of listeners) {
        for (const other of source.listeners(signal)) if (other !== listener) source.off(signal, other as () => void);
      }
    },
    dispose: () => {
      for (const { signal, listener } of listeners) source.off(signal, listener);
    },
  };
}
