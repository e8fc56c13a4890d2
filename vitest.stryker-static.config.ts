import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against the *static* mutants of the plan schema and the event decoders
 * (`npx stryker run stryker.static.config.mjs --mutate <file>`, docs/testing.md): a static mutant
 * (a module-level zod schema or table) is switched on before the import, so every related test file
 * runs again for it. This list keeps that to the tests whose subject is a plan document or a cloud
 * event — the plan and schema tests, the JSON Schema the zod schema generates (its descriptions are
 * what editors show), and the decoders' tests — instead of every engine and use-case test that loads
 * a plan on the way. `test/schema.test.ts` runs Biome's binary from `node_modules/.bin`: Stryker links
 * `node_modules` into its sandbox only when it is a directory (not a symlink to another checkout's).
 */
export default defineConfig({
  test: {
    include: [
      'test/shared/domain/plan*.test.ts',
      'test/shared/domain/drill-plan.test.ts',
      'test/schema.test.ts',
      'test/shared/domain/events*.test.ts',
      'test/shared/domain/events/*.test.ts',
      'test/shared/domain/event-matching*.test.ts',
    ],
    testTimeout: 20_000,
  },
});
