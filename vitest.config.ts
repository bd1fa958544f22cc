import { defineConfig } from 'vitest/config';

// Four kinds of test, one run. Integration tests share one DynamoDB Local started by the
// global setup; each file makes its own table, so files can run in parallel.
export default defineConfig({
  test: {
    // The lock file keeps SDK versions that support Node 20, so its notice about later ones is noise here.
    // Handlers' logs are silent: many tests make them fail on purpose. A test about logs sets its own level.
    env: { LOG_LEVEL: 'SILENT', METRICS_DISABLED: 'true', AWS_REGION: 'eu-west-2', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration', include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamo-setup.ts'], testTimeout: 30_000, hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
      // Faults on the local stack (docs/decisions/012): one file at a time, as each stalls or stops a part of the one stack it starts.
      { extends: true, test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 120_000, fileParallelism: false } },
      // One file at a time: each starts the whole local stack and a browser, and two cores are enough for one.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
