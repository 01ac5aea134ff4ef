import { describe, expect, it } from 'vitest';
import { formatDuration, parseInterval } from '../../src/main/service/interval';

describe('serve --interval', () => {
  it('reads a number and a unit, or units largest first', () => {
    expect(['30s', '5m', '1h', '1h30m', '2m30s', ' 5M ', '1s', '24h'].map((text) => parseInterval(text))).toEqual(
      [30_000, 300_000, 3_600_000, 5_400_000, 150_000, 300_000, 1_000, 86_400_000].map((ms) => ({ ok: true, ms })),
    );
  });

  it('refuses a bare number, garbage, zero, below 1s and above 24h, saying how to write it', () => {
    for (const text of ['5', '', 'soon', '-5m', '5 m', '1.5m', '30s5m', '5ms']) {
      expect(parseInterval(text)).toEqual({ ok: false, message: `“${text}” is not an interval. Write it as a number and a unit: 30s, 5m, 1h (or 1h30m).` });
    }
    expect(parseInterval('0s')).toEqual({ ok: false, message: 'The interval must be at least 1s (“0s” is shorter).' });
    expect(parseInterval('25h')).toEqual({ ok: false, message: 'The interval must be at most 24h (“25h” is longer).' });
  });

  it('says durations the same way', () => {
    expect([2_000, 2_500, 120, 12_345, 90_000, 300_000, 5_400_000].map(formatDuration)).toEqual(['2s', '2.5s', '0.1s', '12s', '1m30s', '5m', '1h30m']);
  });
});
