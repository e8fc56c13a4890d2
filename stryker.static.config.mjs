// The static mutants of the plan schema and the event decoders (docs/testing.md, "Static mutants"):
// stryker.config.json with a smaller test set. One file at a time:
//   npx stryker run stryker.static.config.mjs --concurrency 1 --mutate shared/domain/plan-schema.ts
import { readFileSync } from 'node:fs';

const base = JSON.parse(readFileSync(new URL('./stryker.config.json', import.meta.url), 'utf8'));
delete base.$schema;
delete base._comment;

export default {
  ...base,
  vitest: { ...base.vitest, configFile: 'vitest.stryker-static.config.ts' },
  mutate: ['shared/domain/plan-schema.ts', 'shared/domain/events.ts', 'shared/domain/events/*.ts'],
  incrementalFile: 'reports/mutation/stryker-incremental-static.json',
};
