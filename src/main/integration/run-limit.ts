/**
 * At most `limit` tasks at once, the others waiting in turn. Twenty mailboxes that receive mail at the same
 * moment would otherwise start twenty retrieval workers at once: on a 2-core machine they then all finish
 * late, where two at a time finish the first mail early and the last no later.
 */
export function runLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running -= 1;
    waiting.shift()?.();
  };
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
