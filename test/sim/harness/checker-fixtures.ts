/**
 * What the invariant checks are tested on: a cloud truth built by hand, observed steps, failovers and
 * apps, and the check input around them (test/sim/harness/invariants.test.ts, drill-invariants.test.ts).
 */
import { expect } from 'vitest';
import type { ObservedApp, ObservedFailover, ObservedStep } from '#sim/harness/engine.ts';
import { type CheckInput, InvariantChecker } from '#sim/harness/invariants.ts';
import type { CloudTruth, TruthDelete, TruthJob, TruthRouting } from '#sim/harness/truth.ts';

export const T0 = Date.parse('2026-11-21T12:00:00Z');
export const at = (s: number) => new Date(T0 + s * 1000).toISOString();

export class Truth implements CloudTruth {
  readonly list: TruthJob[] = [];
  readonly probes: { url: string; ok: boolean }[] = [];
  readonly deleted: TruthDelete[] = [];
  site: TruthRouting = 'primary';
  jobs() {
    return this.list;
  }
  deletes() {
    return this.deleted;
  }
  routing() {
    return this.site;
  }
  job(id: string, token: string, resource = 'db', over: Partial<TruthJob> = {}): TruthJob {
    const job = {
      id,
      token,
      app: 'app',
      resource,
      startedAt: T0,
      endsAt: T0 + 60_000,
      outcome: 'succeeded',
      target: `${resource}-dr`,
      ...over,
    } as const;
    this.list.push(job);
    return job;
  }
}

export const restore = (over: Partial<ObservedStep> = {}): ObservedStep => ({
  kind: 'restore',
  target: 'db',
  status: 'succeeded',
  jobId: 'j1',
  idempotencyToken: 'F1-db',
  ...over,
});

export const failover = (over: Partial<ObservedFailover> = {}): ObservedFailover => {
  const phase = over.phase ?? 'completed';
  return {
    id: 'F1',
    phase,
    steps: [
      restore(),
      { kind: 'switch', target: 'switch', status: 'succeeded', jobId: null, idempotencyToken: null },
    ],
    history: [{ phase: 'restoring', at: at(0) }, ...(phase === 'restoring' ? [] : [{ phase, at: at(70) }])],
    approval: null,
    triggerKind: 'alarm',
    endedAt: null,
    ...over,
  };
};

export const app = (
  all: ObservedFailover[],
  activeSite: ObservedApp['activeSite'] = 'recovery',
  fencingToken = 0,
): ObservedApp => ({
  activeSite,
  fencingToken,
  current: all.at(-1) ?? null,
  all,
  drills: [],
  kept: [],
});

export const input = (a: ObservedApp, over: Partial<CheckInput> = {}): CheckInput => ({
  now: T0 + 120_000,
  apps: new Map([['app', a]]),
  approved: new Set(),
  alarmFacts: new Map([['app', new Set(['app@1'])]]),
  maxSkewMs: 0,
  probes: new Map(),
  ...over,
});

/** Checks a clean start (app before any failover, routing primary), then `state` with `truth` changed. */
export function run(change: (t: Truth) => void, state: ObservedApp, over: Partial<CheckInput> = {}) {
  const truth = new Truth();
  const checker = new InvariantChecker(truth);
  expect(checker.check(input(app([], 'primary')))).toEqual([]);
  change(truth);
  return checker.check(input(state, over)).map((v) => v.invariant);
}
