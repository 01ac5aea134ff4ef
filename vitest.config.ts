import { defineConfig } from 'vitest/config';

// Three layers, one run. The test bed (real servers on loopback) is started once for the whole run by the
// global setup and stopped at its end.
export default defineConfig({
  test: {
    globalSetup: ['test/testbed/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});
