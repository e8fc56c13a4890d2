/**
 * `npm run measure:cold-import`: the cold import of each bundle in `dist/functions/` (run
 * `npm run bundle` first), as a Lambda container pays it before the first invocation — a fresh Node
 * process that imports the bundle — against a bare `node -e ''`. Each is the median of `--runs`
 * (default 5) wall-clock runs of a whole process; the figure that matters is the difference.
 * The bundle is imported with a Lambda-like environment and no `--enable-source-maps`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_FILE } from '../cdk/bundling.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(ROOT, 'dist/functions');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

/** Settings the bundles read at import; nothing is called. */
const LAMBDA_ENV = {
  AWS_REGION: 'eu-central-1',
  AWS_LAMBDA_FUNCTION_NAME: 'standby-measure',
  STANDBY_PLANS_PATH: '/var/task/plans/plans.json',
  STATE_TABLE: 'standby-state',
  APPROVAL_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key',
};

/** Wall-clock milliseconds of one `node <args>` process, from spawn to exit. */
function run(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const out = spawnSync(process.execPath, args, {
    env: { PATH: process.env['PATH'] ?? '', ...LAMBDA_ENV },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  return ms;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianOf = (args: readonly string[]) => median(Array.from({ length: RUNS }, () => run(args)));

if (!existsSync(DIST)) throw new Error('no dist/functions: run `npm run bundle` first');
const bare = medianOf(['-e', '']);
console.log(
  `bare node -e '': ${bare.toFixed(0)} ms (median of ${RUNS}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs)`,
);
console.log('function   bundle KiB   import ms   beyond bare ms');
for (const name of readdirSync(DIST).sort()) {
  const file = join(DIST, name, BUNDLE_FILE);
  if (!existsSync(file)) continue;
  const ms = medianOf(['--input-type=module', '-e', `await import(${JSON.stringify(file)});`]);
  console.log(
    `${name.padEnd(10)} ${(statSync(file).size / 1024).toFixed(0).padStart(10)} ${ms.toFixed(0).padStart(11)} ${(ms - bare).toFixed(0).padStart(16)}`,
  );
}
