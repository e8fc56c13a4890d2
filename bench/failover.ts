/**
 * Failover benchmarks, through the engine's entry points only (`handleEvent`, `advanceAll`):
 * - makespan: a 30-resource restore DAG from alarm to traffic switched, in simulated time, against
 *   its critical path (the longest dependency chain of restores) and against restoring one by one;
 * - decision latency: alarm event in → first StartRestoreJob out, over many events, with the state
 *   in memory and in DynamoDB (dynalite).
 */
import { performance } from 'node:perf_hooks';
import { nextRestoreCompletion } from '#sim/aws/backup-restore.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import type { World } from '#sim/world.ts';
import { CountingStore, type StoreUsage } from './cost.ts';
import { benchEngine, dynaliteStore, inMemoryStore } from './engine.ts';
import { alarmEvent, benchPlans, benchWorld, resourcesOf } from './fixtures.ts';

/** A layered DAG: `levels` levels of `width`; each resource waits for two of the level before it. */
export function layeredDag(levels: number, width: number) {
  return {
    resources: levels * width,
    depth: levels,
    dependsOn: (index: number): number[] => {
      const level = Math.floor(index / width);
      if (level === 0) return [];
      const first = (level - 1) * width;
      return [first + (index % width), first + ((index + 1) % width)];
    },
  };
}

/** What one failover run measured. */
export interface MakespanSample {
  readonly makespanSeconds: number;
  readonly criticalPathSeconds: number;
  readonly sequentialSeconds: number;
  readonly restoreSeconds: number;
  readonly wallMs: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly restoreJobs: number;
  readonly advanceRounds: number;
  /** State operations and the DynamoDB request units they would cost. */
  readonly store: StoreUsage;
}

/**
 * One failover of a DAG of `levels` × `width` restores under the realistic quotas: the alarm goes
 * through `handleEvent`, then `advanceAll` runs until the failover ends, simulated time moving to
 * the next restore job's end whenever the engine waits for jobs (as restore-job events would wake it).
 */
export async function failoverMakespan(levels: number, width: number): Promise<MakespanSample> {
  const dag = layeredDag(levels, width);
  const shape = { vaults: 1, resourcesPerVault: dag.resources, pointsPerResource: 3 };
  const plans = benchPlans(resourcesOf(shape), { perPlan: dag.resources, dependsOn: dag.dependsOn });
  const cloud = new SimulatedCloud(benchWorld(shape));
  const store = new CountingStore(inMemoryStore());
  const engine = benchEngine(cloud, plans, { store });
  const restoreSeconds = cloud.world.aws.restore.durationSeconds;
  const began = performance.now();
  const start = cloud.clock.now();
  const [outcome] = await engine.handle(alarmEvent(0, start));
  if (outcome?.effect !== 'failover-started')
    throw new Error(`the alarm did not start a failover: ${outcome?.effect} (${outcome?.reason})`);
  let rounds = 0;
  for (; rounds < 1000; rounds++) {
    const report = await engine.advance();
    const result = report[plans[0]!.name];
    if (result === 'ended') break;
    const next = result === 'waiting-for-jobs' ? nextRestoreCompletion(cloud) : undefined;
    if (!next) throw new Error(`the failover stopped: advance answered ${result} with no job to wait for`);
    cloud.clock.advanceTo(next);
  }
  const switched = cloud.world.aws.route53.resourceRecordSets.find((r) => r['SetIdentifier'] === 'recovery');
  if (switched?.['Weight'] !== 100) throw new Error('the failover ended without moving traffic to recovery');
  return {
    makespanSeconds: (cloud.clock.now().getTime() - start.getTime()) / 1000,
    criticalPathSeconds: dag.depth * restoreSeconds,
    sequentialSeconds: dag.resources * restoreSeconds,
    restoreSeconds,
    wallMs: performance.now() - began,
    calls: cloud.stats(),
    restoreJobs: cloud.world.aws.restoreJobs.length,
    advanceRounds: rounds + 1,
    store: store.usage(),
  };
}

/** Decision latencies of one store, in ms, with the share spent inside simulated API calls. */
export interface DecisionSample {
  readonly events: number;
  readonly latenciesMs: readonly number[];
  /** Per event, the time spent inside the simulated cloud's API calls before the first start. */
  readonly inCallsMs: readonly number[];
}

/**
 * `events` alarms, each for its own one-resource plan, handled one after the other; for each, the
 * time from `handleEvent` being called to the simulated cloud receiving its first StartRestoreJob.
 * No latency or quota is simulated and the adapters are not paced: this is the decision's own cost
 * (freshness gate listing, state writes, the restore start), in-process.
 */
export async function decisionLatency(
  events: number,
  storeKind: 'memory' | 'dynalite',
): Promise<DecisionSample> {
  const shape = { vaults: 10, resourcesPerVault: events / 10, pointsPerResource: 3 };
  const world: World = benchWorld(shape, {});
  const plans = benchPlans(resourcesOf(shape), { perPlan: 1 });
  const cloud = new SimulatedCloud(world);
  const dynamo = storeKind === 'dynalite' ? await dynaliteStore() : undefined;
  const engine = benchEngine(cloud, plans, {
    store: dynamo?.store ?? inMemoryStore(),
    listCallsPerSecond: Number.POSITIVE_INFINITY,
    startsPerSecond: Number.POSITIVE_INFINITY,
  });
  let firstStart: number | undefined;
  let inCalls = 0;
  const call = cloud.call.bind(cloud);
  cloud.call = async (api, handler) => {
    const at = performance.now();
    if (api === 'backup:StartRestoreJob' && firstStart === undefined) firstStart = at;
    try {
      return await call(api, handler);
    } finally {
      if (firstStart === undefined || firstStart === at) inCalls += performance.now() - at;
    }
  };
  const latenciesMs: number[] = [];
  const inCallsMs: number[] = [];
  try {
    for (let n = 0; n < events; n++) {
      firstStart = undefined;
      inCalls = 0;
      const began = performance.now();
      const [outcome] = await engine.handle(alarmEvent(n, cloud.clock.now()));
      if (outcome?.effect !== 'failover-started' || firstStart === undefined)
        throw new Error(`event ${n} did not start a restore: ${outcome?.effect} (${outcome?.reason})`);
      latenciesMs.push(firstStart - began);
      inCallsMs.push(inCalls);
    }
  } finally {
    await dynamo?.close();
  }
  return { events, latenciesMs, inCallsMs };
}

/** The `q` quantile (0..1) of `xs`, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
