import { describe, expect, it } from 'vitest';
import { planBatches } from '../../src/main/inbox/retrieval/plan-batches';
import { uidSet } from '../../src/main/inbox/retrieval/uid-set';

describe('UID sets and batches', () => {
  it('writes UIDs as an IMAP sequence set with runs compressed', () => {
    expect(uidSet([5, 1, 2, 3, 9, 10, 7, 3])).toBe('1:3,5,7,9:10');
    expect(uidSet([42])).toBe('42');
    expect(uidSet([])).toBe('');
  });

  it('cuts batches by count and by bytes; a message larger than the bound is a batch of its own', () => {
    const messages = [10, 10, 10, 100, 10, 10, 10, 10].map((size, index) => ({ uid: index + 1, size }));
    const batches = planBatches(messages, 3, 50).map((batch) => batch.map((m) => m.uid));
    expect(batches).toEqual([[1, 2, 3], [4], [5, 6, 7], [8]]);
    expect(planBatches([], 3, 50)).toEqual([]);
  });
});
