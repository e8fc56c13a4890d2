import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant (`npm run mutate`): the core's unit tests and the
 * tests of the adapters' pure mapping modules — no emulators, no CDK synth, no CLI end-to-end runs,
 * so one mutant costs well under a second.
 */
export default defineConfig({
  test: {
    include: [
      'test/shared/**/*.test.ts',
      'test/azure/adapters/job-statuses.test.ts',
      'test/azure/adapters/restore-request-rules.test.ts',
      'test/functions/adapters/aws-retry.test.ts',
    ],
    testTimeout: 20_000,
  },
});
