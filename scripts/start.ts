/**
 * `npm start`: the audit of the example plans against the example world, for a first look. The
 * example world has a breach and a missing backup on purpose, so `standby audit` exits 2 — correct
 * for CI, but a failing `npm start` looks broken to a newcomer. This wrapper prints the same audit,
 * explains the exit code, and fails only when the command itself could not run (exit 1).
 */
import { main } from '#cli/main.ts';

const argv = [
  'audit',
  '--plan',
  'examples/plans',
  '--world',
  'examples/world.yaml',
  ...process.argv.slice(2),
];
const code = await main(argv);
if (code === 2)
  process.stderr.write(
    [
      '',
      'standby audit exited 2: the example world has a breach and a missing backup on purpose (see',
      'examples/world.yaml). In CI that exit code fails the build; `npm start` reports it and succeeds.',
      'Next: npx standby audit --plan examples/plans --world examples/world.yaml --json --stats',
      '',
    ].join('\n'),
  );
process.exitCode = code === 1 ? 1 : 0;
