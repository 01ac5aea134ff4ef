/**
 * Runs `task` every `intervalMs` until the returned function is called. The account monitor takes one,
 * so a test can play "one interval has passed" without waiting for it.
 */
export type RepeatingTimer = (intervalMs: number, task: () => void) => () => void;

/** The real one: setInterval, unref'd so that a pending check never keeps the process (the CLI) alive. */
export const repeatEvery: RepeatingTimer = (intervalMs, task) => {
  const timer = setInterval(task, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};
