import { describe, expect, it } from 'vitest';
import { caseNumberInSubject, subjectWithoutReplyPrefixes } from '../../src/main/inbox/cases/case-subject';

describe('the [Case #n] tag in a subject', () => {
  it('is found behind every reply and forward prefix, in any letter case', () => {
    for (const subject of [
      '[Case #12] Printer jams',
      'Re: [Case #12] Printer jams',
      'RE: [Case #12] Printer jams',
      'Fwd: Re: [Case #12] Printer jams',
      'AW: [Case #12] Printer jams',
      'WG: AW: [Case #12] Printer jams',
      'SV: [Case #12] Printer jams',
      'RE[2]: [Case #12] Printer jams',
      're: [case #12] printer jams',
      'Re: [CASE #12] Printer jams',
    ]) {
      expect(caseNumberInSubject(subject), subject).toBe(12);
    }
  });

  it('is found anywhere in the subject, with spaces inside the brackets', () => {
    expect(caseNumberInSubject('Printer still jams [Case #7]')).toBe(7);
    expect(caseNumberInSubject('About my ticket ([ Case # 345 ]) again')).toBe(345);
  });

  it('takes the first tag when there are several', () => {
    expect(caseNumberInSubject('Re: [Case #3] merged with [Case #9]')).toBe(3);
  });

  it('is not found in look-alikes', () => {
    for (const subject of ['Case #12', '[Case 12]', '[Case #]', '[Case #0]', '[Case #12', '(Case #12)', '[Order #12]', '']) {
      expect(caseNumberInSubject(subject), subject).toBeNull();
    }
  });
});

describe('reply and forward prefixes', () => {
  it('are all removed from the start, counted ones included', () => {
    expect(subjectWithoutReplyPrefixes('AW: Re[2]: Fwd: WG: SV: Printer')).toBe('Printer');
    expect(subjectWithoutReplyPrefixes('RE[3]: re: FW: Tr: Antw: VS: Printer')).toBe('Printer');
    expect(subjectWithoutReplyPrefixes('Re^2: Printer')).toBe('Printer');
  });

  it('leave words that only begin like a prefix, and prefixes after the start', () => {
    expect(subjectWithoutReplyPrefixes('Reboot needed: Re: printer')).toBe('Reboot needed: Re: printer');
    expect(subjectWithoutReplyPrefixes('Aware: printer')).toBe('Aware: printer');
  });
});
