import { describe, expect, it } from 'vitest';
import { runLimit } from '../../src/main/integration/run-limit';

describe('emptying mailboxes a few at a time', () => {
  it('runs at most the limit at once, the others in the order they came, and goes on after a failure', async () => {
    const inTurn = runLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async (): Promise<number> => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      order.push(n);
      if (n === 1) throw new Error('server away');
      return n;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => inTurn(task(n))));
    expect(most).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(order.slice(2)).toEqual([3, 4, 5]);
  });
});
