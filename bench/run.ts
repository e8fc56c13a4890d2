/**
 * `npm run bench [-- --runs N] [-- --events N] [-- --quick]`: speed and cost measured against the
 * simulated cloud under the documented AWS quotas, never asserted in tests. Every figure is put next
 * to its lower bound or a naive baseline measured in the same run, so the ratios hold on a busy
 * machine even when the milliseconds do not. Writes bench/results.json and bench/results.md and
 * prints the Markdown. docs/performance.md explains the method and the figures.
 *
 * 1. Audit, whole CLI run (`standby audit --world … --json --stats`) at 1k and 10k resources.
 * 2. Listing strategy: the inventory's vault-wide listing vs one listing per resource.
 * 3. Failover makespan of a 30-restore DAG vs its critical path and vs sequential restores.
 * 4. Decision latency, alarm in → first StartRestoreJob, in-memory state and dynalite.
 * 5. Cold start of each Lambda bundle.
 * 6. Cost model for 100 applications audited every 5 minutes.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { coldStart } from './cold-start.ts';
import { monthlyCost } from './cost.ts';
import { decisionLatency, failoverMakespan, quantile } from './failover.ts';
import { benchPlans, benchWorld, REALISTIC_LIMITS, resourcesOf } from './fixtures.ts';
import { renderMarkdown } from './report.ts';
import { quotaBoundMs, runCliAudit, writeScaleFiles } from './scale.ts';
import { audit, perResourceListing, vaultWideListing } from './scenarios.ts';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    events: { type: 'string', default: '1000' },
    quick: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const events = Number(values.events);
if (!Number.isInteger(runs) || runs < 1 || runs > 20)
  throw new RangeError(`--runs must be a whole number from 1 to 20; got "${values.runs}"`);
if (!Number.isInteger(events) || events < 10 || events > 100_000 || events % 10 !== 0)
  throw new RangeError(`--events must be a multiple of 10 from 10 to 100000; got "${values.events}"`);

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, digits = 2) => Number(x.toFixed(digits));
const log = (line: string) => process.stderr.write(`${line}\n`);
const began = Date.now();
const loadAtStart = loadavg()[0]!;
const LIST = REALISTIC_LIMITS['backup:ListRecoveryPointsByBackupVault'];

// 1. Audit, whole CLI run.
const auditShapes = [
  { vaults: 10, resourcesPerVault: 100, pointsPerResource: 10 },
  ...(values.quick ? [] : [{ vaults: 10, resourcesPerVault: 1000, pointsPerResource: 10 }]),
];
// The CLI's fixed cost in this run: the same command over one resource (Node, tsx, the SDK's import).
const tiny = await writeScaleFiles({ vaults: 1, resourcesPerVault: 1, pointsPerResource: 1 }, 1);
const tinyRuns = [];
for (let i = 0; i < runs; i++) tinyRuns.push(await runCliAudit(tiny));
const startupMs = median(tinyRuns.map((t) => t.wallMs));
const startupCpuMs = median(tinyRuns.map((t) => t.cpuMs));
log(`audit: the CLI run over 1 resource takes ${startupMs.toFixed(0)} ms`);
const audits = [];
for (const shape of auditShapes) {
  const files = await writeScaleFiles(shape, 100);
  log(`audit: ${files.resources} resources, ${files.points} points (${files.worldBytes} bytes of world)`);
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await runCliAudit(files));
  const pages = shape.vaults * Math.ceil((shape.resourcesPerVault * shape.pointsPerResource) / 1000);
  const bound = quotaBoundMs(pages, LIST.tps);
  const listCalls = samples.map((s) => s.calls['backup:ListRecoveryPointsByBackupVault'] ?? 0);
  const allCalls = samples.map((s) => Object.values(s.calls).reduce((a, b) => a + b, 0));
  const wall = median(samples.map((s) => s.wallMs));
  const ok = samples.every((s) => s.summary['ok'] === files.resources);
  if (!ok) throw new Error(`the audit of ${files.resources} resources did not find every resource ok`);
  audits.push({
    resources: files.resources,
    vaults: shape.vaults,
    points: files.points,
    plans: files.resources / 100,
    runs,
    listPagesNeeded: pages,
    quotaBoundMs: round(bound, 0),
    wallMs: round(wall, 0),
    wallToBound: round(wall / bound),
    startupMs: round(startupMs, 0),
    wallLessStartupToBound: round((wall - startupMs) / bound),
    cpuMs: round(median(samples.map((s) => s.cpuMs)), 0),
    startupCpuMs: round(startupCpuMs, 0),
    cpuToBound: round(median(samples.map((s) => s.cpuMs)) / bound),
    callsMedian: median(allCalls),
    throttledListCalls: median(listCalls) - pages,
    callsPerResource: round(median(allCalls) / files.resources, 4),
    peakRssMb: round(median(samples.map((s) => s.peakRssBytes)) / 2 ** 20, 0),
  });
}

// 2. Listing strategy, in-process (the per-resource baseline makes one call per resource).
const listingShape = { vaults: 5, resourcesPerVault: 20, pointsPerResource: 30 };
const listingWorld = benchWorld(listingShape);
const listingResources = resourcesOf(listingShape);
log(`listing: ${listingResources.length} resources, vault-wide vs per resource`);
const vaultWide = [];
const perResource = [];
for (let i = 0; i < runs; i++) {
  vaultWide.push(await vaultWideListing(listingWorld, listingResources));
  perResource.push(await perResourceListing(listingWorld, listingResources));
}
const listing = {
  resources: listingResources.length,
  points: listingResources.length * listingShape.pointsPerResource,
  runs,
  vaultWide: {
    calls: median(vaultWide.map((s) => s.calls)),
    wallMs: round(median(vaultWide.map((s) => s.wallMs)), 0),
  },
  perResource: {
    calls: median(perResource.map((s) => s.calls)),
    wallMs: round(median(perResource.map((s) => s.wallMs)), 0),
  },
};

// 3. Failover makespan.
log('failover: a 30-restore DAG, 5 levels of 6');
const makespan = await failoverMakespan(5, 6);
const failover = {
  resources: 30,
  levels: 5,
  restoreSeconds: makespan.restoreSeconds,
  makespanSeconds: makespan.makespanSeconds,
  criticalPathSeconds: makespan.criticalPathSeconds,
  sequentialSeconds: makespan.sequentialSeconds,
  makespanToCriticalPath: round(makespan.makespanSeconds / makespan.criticalPathSeconds, 3),
  makespanToSequential: round(makespan.makespanSeconds / makespan.sequentialSeconds, 3),
  wallMs: round(makespan.wallMs, 0),
  startRestoreJobCalls: makespan.calls['backup:StartRestoreJob'] ?? 0,
  restoreJobs: makespan.restoreJobs,
  advanceRounds: makespan.advanceRounds,
  calls: makespan.calls,
  store: makespan.store,
};

// 4. Decision latency.
const DECISION_TARGET_MS = 20;
const decisions = [];
for (const store of ['memory', 'dynalite'] as const) {
  log(`decision latency: ${events} alarms, state ${store}`);
  const sample = await decisionLatency(events, store);
  const p50 = quantile(sample.latenciesMs, 0.5);
  const p99 = quantile(sample.latenciesMs, 0.99);
  decisions.push({
    store,
    events,
    p50Ms: round(p50),
    p99Ms: round(p99),
    p99ToTarget: round(p99 / DECISION_TARGET_MS),
    inSimulatedCallsP50Ms: round(quantile(sample.inCallsMs, 0.5)),
  });
}

// 5. Cold start.
log('cold start: bundling and importing each handler');
const cold = await coldStart(Math.max(3, runs));
const MIB = 2 ** 20;
const IMPORT_TARGET_MS = 200;
const coldStarts = {
  baseline: { ...cold.baseline, importMs: round(cold.baseline.importMs, 1) },
  handlers: cold.handlers.map((h) => ({
    entry: h.entry,
    bytes: h.bytes,
    mib: round(h.bytes / MIB),
    toBaselineBytes: round(h.bytes / cold.baseline.bytes, 1),
    importMs: round(h.importMs, 1),
    toBaselineImport: round(h.importMs / cold.baseline.importMs, 1),
    toTarget: { bytes: round(h.bytes / MIB), importMs: round(h.importMs / IMPORT_TARGET_MS) },
  })),
};

// 6. Cost: the fleet's audit measured in-process (100 applications of 5 resources, 10 vaults).
log('cost: one audit of 100 applications × 5 resources');
const fleetShape = { vaults: 10, resourcesPerVault: 50, pointsPerResource: 30 };
const fleetAudit = await audit(benchWorld(fleetShape), benchPlans(resourcesOf(fleetShape), { perPlan: 5 }));
const auditImportMs = Math.max(...cold.handlers.map((h) => h.importMs));
const use = {
  audit: { apiCalls: fleetAudit.calls, lambdaSeconds: (fleetAudit.wallMs + auditImportMs) / 1000 },
  failover: {
    apiCalls: Object.values(makespan.calls).reduce((a, b) => a + b, 0),
    store: makespan.store,
    // The alarm, one restore-job event per restore, and the scheduled advance runs of the failover.
    lambdaInvocations: 1 + makespan.restoreJobs + makespan.advanceRounds,
    lambdaSeconds: makespan.wallMs / 1000,
  },
};
const fleet = {
  applications: 100,
  auditEveryMinutes: 5,
  lambdaMemoryGb: 0.5,
  failoversPerMonth: 1,
  resourcesPerApp: 5,
  jobEventsPerResourcePerDay: 48,
  jobEventLambdaSeconds: 0.2,
  logBytesPerInvocation: 1000,
};
const bill = monthlyCost(use, fleet);
const cost = {
  fleet,
  measured: use,
  lines: bill.lines.map((l) => ({ ...l, quantity: round(l.quantity, 1), usd: round(l.usd, 4) })),
  totalUsdPerMonth: round(bill.totalUsd, 2),
  arcRegionSwitchUsdPerMonth: bill.arcRegionSwitchUsd,
  toTarget: round(bill.totalUsd / 5),
};

const results = {
  machine: {
    cpus: availableParallelism(),
    model: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: { atStart: round(loadAtStart), atEnd: round(loadavg()[0]!) },
    note: 'shared with other work: wall-clock figures are noisy; read the same-run ratios',
  },
  runs,
  totalSeconds: round((Date.now() - began) / 1000, 1),
  audit: audits,
  listing,
  failover,
  decision: decisions,
  coldStart: coldStarts,
  cost,
};

const markdown = renderMarkdown(results);
await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(new URL('./results.md', import.meta.url), markdown);
process.stdout.write(markdown);
