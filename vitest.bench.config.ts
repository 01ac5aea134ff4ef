import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmark scripts that print figures, against the same test bed as the tests. The
// 10k-message retrieval benchmark (minutes, GBs of disk) runs only as `npm run bench:retrieval`.
export default defineConfig({
  test: {
    globalSetup: ['test/testbed/global-setup.ts'],
    include: ['bench/**/*.bench.test.ts'],
    exclude: process.env['BENCH_RETRIEVAL'] === '1' ? [] : ['bench/retrieval.bench.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    silent: false,
  },
});
