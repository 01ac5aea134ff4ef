import { describe, expect, it } from 'vitest';
import { matchCase, type CaseLookup, type ThreadedMessage } from '../../src/main/inbox/cases/thread-match';

/** Cases 1–3; message ids m1 (case 1), m2 (case 2), m3 (case 3); case 1's people are ann@ and bob@. */
const lookup: CaseLookup = {
  caseOfMessageId: (id) => ({ 'm1@x': 1, 'm2@x': 2, 'm3@x': 3 })[id] ?? null,
  caseOfTag: (caseNumber) => (caseNumber >= 1 && caseNumber <= 3 ? caseNumber : null),
  senderKnownToCase: (caseId, address) => caseId === 1 && ['ann@example.test', 'bob@example.test'].includes(address),
};

function message(patch: Partial<ThreadedMessage>): ThreadedMessage {
  return { inReplyTo: [], references: [], subject: 'Printer', fromAddress: 'ann@example.test', ...patch };
}

describe('which case a Service Desk message replies to', () => {
  it('is In-Reply-To’s first, before References and the subject’s tag', () => {
    expect(matchCase(message({ inReplyTo: ['unknown@x', 'm2@x'], references: ['m3@x'], subject: 'Re: [Case #1]' }), lookup)).toEqual({ caseId: 2, matchedBy: 'in-reply-to' });
  });

  it('is then References’, from the last entry (the parent) back to the first', () => {
    expect(matchCase(message({ inReplyTo: ['unknown@x'], references: ['m1@x', 'm3@x', 'unknown@x'], subject: '[Case #2]' }), lookup)).toEqual({ caseId: 3, matchedBy: 'references' });
    expect(matchCase(message({ references: ['m1@x', 'other@x'] }), lookup)).toEqual({ caseId: 1, matchedBy: 'references' });
  });

  it('is then the [Case #n] tag, behind any prefix; a sender the case knows is not flagged', () => {
    expect(matchCase(message({ subject: 'AW: [Case #1] Printer', fromAddress: 'bob@example.test' }), lookup)).toEqual({ caseId: 1, matchedBy: 'subject', flagged: false });
  });

  it('flags a tag match from a sender the case has never seen, or from no readable sender', () => {
    expect(matchCase(message({ subject: 'Re: [Case #1] Printer', fromAddress: 'mallory@example.test' }), lookup)).toEqual({ caseId: 1, matchedBy: 'subject', flagged: true });
    expect(matchCase(message({ subject: 'Re: [Case #1] Printer', fromAddress: null }), lookup)).toEqual({ caseId: 1, matchedBy: 'subject', flagged: true });
  });

  it('is none (a new case) for unknown ids, no tag, or a tag of a case that does not exist', () => {
    expect(matchCase(message({ inReplyTo: ['a@x'], references: ['b@x'] }), lookup)).toBeNull();
    expect(matchCase(message({ subject: 'Re: [Case #99] Printer' }), lookup)).toBeNull();
  });
});
