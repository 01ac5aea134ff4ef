import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'vitest';
import { parseInbound } from '../src/main/inbox/parse/parse-inbound';
import { fiftyMegabyteMessage } from '../test/support/large-message';

/**
 * `npm run bench`: the memory a 50 MB message costs to parse. Prints figures, asserts nothing. The goal is
 * no second copy of the message (mailparser's simpleParser makes one: about 2.6x the message at the peak).
 */
describe('parsing a 50 MB inbound message', () => {
  it('peak memory outside the JS heap, over a collected baseline', { timeout: 120_000 }, async () => {
    const { raw } = fiftyMegabyteMessage();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    };
    const sampler = setInterval(sample, 1);
    const started = performance.now();
    const parsed = await parseInbound(raw, 'lead');
    const elapsed = performance.now() - started;
    sample();
    clearInterval(sampler);
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `parse 50 MB message: ${elapsed.toFixed(0)} ms, message ${mb(raw.length)}, peak extra ${mb(peak)} (${(peak / raw.length).toFixed(2)}x), attachments ${parsed.attachments.length}`,
    );
  });
});
