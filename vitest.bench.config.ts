import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmark scripts that print figures, against the same test bed as the tests.
export default defineConfig({
  test: {
    globalSetup: ['test/testbed/global-setup.ts'],
    include: ['bench/**/*.bench.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    silent: false,
  },
});
