/**
 * `npm run bench [-- --json] [-- --runs N] [-- --skip-large]`: speed measured against the simulated
 * cloud under realistic AWS quotas and latencies, never asserted in tests. Every figure is the median
 * of N runs, and every comparison is a ratio to a baseline measured in the same process, so the
 * figures move with the machine together. Nothing leaves the process. docs/benchmarks.md reads them.
 *
 * 1. Listing strategy: the inventory's vault-wide listing vs one listing per resource.
 * 2. Audit end to end (`runAudit` over the composite inventory) for 10, 100 and 1000 resources.
 * 3. Failover end to end (request → restores → probe → Route 53 switch) for 3 and 30 resources.
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import type { World } from '#sim/world.ts';
import { type AccountShape, benchPlans, benchWorld, resourcesOf } from './fixtures.ts';
import { audit, failover, perResourceListing, type Sample, vaultWideListing } from './scenarios.ts';

// The SDK's notice that future releases need Node 22 is noise in a benchmark's output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'skip-large': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20)
  throw new RangeError(`--runs must be a whole number from 1 to 20; got "${values.runs}"`);

/** The median of each figure over the runs. */
interface Summary {
  readonly runs: number;
  readonly wallMs: number;
  readonly calls: number;
  readonly callsByApi: Readonly<Record<string, number>>;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function repeat(n: number, once: () => Promise<Sample>): Promise<Summary & { last: Sample }> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(await once());
  const last = samples.at(-1)!;
  const apis = Object.keys(last.callsByApi);
  return {
    runs: n,
    wallMs: median(samples.map((s) => s.wallMs)),
    calls: median(samples.map((s) => s.calls)),
    callsByApi: Object.fromEntries(apis.map((a) => [a, median(samples.map((s) => s.callsByApi[a] ?? 0))])),
    last,
  };
}

const worlds = new Map<string, World>();
function worldOf(shape: AccountShape): World {
  const key = JSON.stringify(shape);
  let world = worlds.get(key);
  if (!world) {
    world = benchWorld(shape);
    worlds.set(key, world);
  }
  return world;
}

/** Both strategies must read the same points for every resource, or the comparison means nothing. */
function assertSamePoints(a: Sample, b: Sample): void {
  const left = a.pointsByResource ?? new Map();
  const right = b.pointsByResource ?? new Map();
  for (const [key, n] of left)
    if (right.get(key) !== n)
      throw new Error(`listings disagree on ${key}: vault-wide ${n} points, per-resource ${right.get(key)}`);
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));
const began = Date.now();

// 1. Listing strategy.
const listingShapes: AccountShape[] = [
  { vaults: 5, resourcesPerVault: 20, pointsPerResource: 30 },
  ...(values['skip-large'] ? [] : [{ vaults: 5, resourcesPerVault: 200, pointsPerResource: 30 }]),
];
const listing = [];
for (const shape of listingShapes) {
  const world = worldOf(shape);
  const resources = resourcesOf(shape);
  // The large baseline takes about a minute (1000 calls at 20/s), so it runs once.
  const n = resources.length > 100 ? 1 : runs;
  const vaultWide = await repeat(n, () => vaultWideListing(world, resources));
  const perResource = await repeat(n, () => perResourceListing(world, resources));
  assertSamePoints(vaultWide.last, perResource.last);
  listing.push({
    ...shape,
    resources: resources.length,
    points: resources.length * shape.pointsPerResource,
    runs: n,
    vaultWide: { wallMs: round(vaultWide.wallMs), calls: vaultWide.calls, callsByApi: vaultWide.callsByApi },
    perResource: { wallMs: round(perResource.wallMs), calls: perResource.calls },
    ratio: {
      calls: round(perResource.calls / vaultWide.calls),
      wallMs: round(perResource.wallMs / vaultWide.wallMs),
    },
  });
}

// 2. Audit end to end.
const audits = [];
for (const size of [10, 100, 1000]) {
  const shape = { vaults: 5, resourcesPerVault: size / 5, pointsPerResource: 30 };
  const world = worldOf(shape);
  const plans = benchPlans(resourcesOf(shape), 50);
  const measured = await repeat(runs, () => audit(world, plans));
  audits.push({
    resources: size,
    plans: plans.length,
    runs,
    wallMs: round(measured.wallMs),
    calls: measured.calls,
    msPerResource: round(measured.wallMs / size, 2),
  });
}

// 3. Failover end to end.
const failovers = [];
for (const size of [3, 30]) {
  const shape = { vaults: 1, resourcesPerVault: size, pointsPerResource: 30 };
  const world = worldOf(shape);
  const [plan] = benchPlans(resourcesOf(shape), size);
  const measured = await repeat(runs, () => failover(world, plan!));
  const starts = measured.callsByApi['backup:StartRestoreJob'] ?? 0;
  const jobs = measured.last.restoreJobs ?? 0;
  failovers.push({
    resources: size,
    runs,
    wallMs: round(measured.wallMs),
    calls: measured.calls,
    startRestoreJobCalls: starts,
    restoreJobsCreated: jobs,
    oneJobPerResource: jobs === size,
    advanceConflicts: measured.last.advanceConflicts ?? 0,
    callsByApi: measured.callsByApi,
  });
}

const result = {
  machine: { cpus: availableParallelism(), model: cpus()[0]?.model ?? 'unknown', node: process.version },
  totalSeconds: round((Date.now() - began) / 1000),
  listing,
  audit: audits,
  failover: failovers,
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const table = (title: string, header: string[], rows: (string | number | boolean)[][]) => {
    const cells = [header, ...rows.map((r) => r.map(String))];
    const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
    const line = (r: string[]) =>
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    process.stdout.write(`\n${title}\n${cells.map(line).join('\n')}\n`);
  };
  process.stdout.write(
    `standby bench — ${result.machine.cpus} cpu(s), ${result.machine.model}, node ${result.machine.node}; medians of ${runs} run(s)\n`,
  );
  table(
    '1. Listing strategy (calls and ms: vault-wide adapter vs per-resource baseline; ratio = baseline / vault-wide)',
    ['resources', 'points', 'runs', 'vault calls', 'vault ms', 'base calls', 'base ms', 'calls ×', 'time ×'],
    listing.map((l) => [
      `${l.resources} (${l.vaults}×${l.resourcesPerVault})`,
      l.points,
      l.runs,
      l.vaultWide.calls,
      l.vaultWide.wallMs,
      l.perResource.calls,
      l.perResource.wallMs,
      l.ratio.calls,
      l.ratio.wallMs,
    ]),
  );
  table(
    '2. Audit end to end (runAudit + CompositeInventory)',
    ['resources', 'plans', 'runs', 'calls', 'wall ms', 'ms/resource'],
    audits.map((a) => [a.resources, a.plans, a.runs, a.calls, a.wallMs, a.msPerResource]),
  );
  table(
    '3. Failover end to end (FailoverController: restores, probe, Route 53 switch)',
    [
      'resources',
      'runs',
      'calls',
      'wall ms',
      'StartRestoreJob calls',
      'jobs created',
      '= resources',
      'advance conflicts',
    ],
    failovers.map((f) => [
      f.resources,
      f.runs,
      f.calls,
      f.wallMs,
      f.startRestoreJobCalls,
      f.restoreJobsCreated,
      f.oneJobPerResource,
      f.advanceConflicts,
    ]),
  );
  process.stdout.write(`\ntotal ${result.totalSeconds} s\n`);
}
