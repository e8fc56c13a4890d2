/**
 * Drills and failovers of one application interleaved by a seeded scheduler: drill requests, alarms,
 * advances of either by two controllers, and time jumps in random order. After every run, and once
 * time has run until everything ended: traffic moved at most once (and only for the failover), every
 * alarm's failover completed, drills never overlapped, never switched, and each tore down what its
 * restores created.
 */
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { listArchived, readAppState } from '#shared/application/failover-repository.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { type Failover, isTerminal, Purpose } from '#shared/domain/failover.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    for (const r of d.spec.resources as { name: string; drill?: unknown }[])
      r.drill = { metadata: { DBInstanceIdentifier: `${r.name}-drill` } };
    (d.spec.validate as { http: Record<string, unknown> }[])[0]!.http['drillUrl'] =
      'https://case-api.drill.example.com/health';
  }),
);

/** mulberry32: a small seeded PRNG, so a failing seed replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function run(seed: number) {
  const next = random(seed);
  const w = engineWorld();
  const controllers = [w.controller('a'), w.controller('b')];
  const pick = () => controllers[Math.floor(next() * controllers.length)]!;
  let alarmed = false;
  let drills = 0;
  const actions = [
    async () => {
      drills += 1;
      await requestDrill(pick(), plan, { kind: 'manual', ref: 'cli', eventId: `d${drills}` });
    },
    async () => {
      // Alarms come rarely, and late enough for drills to be under way.
      if (next() < 0.3) return;
      alarmed = true;
      await requestFailover(pick(), plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    },
    () => advanceFailover(pick(), plan),
    () => advanceFailover(pick(), plan, Purpose.Drill),
    () => advanceFailover(pick(), plan, Purpose.Drill),
    async () => w.clock.advance(Math.floor(next() * 700)),
  ];
  for (let step = 0; step < 40; step++) await actions[Math.floor(next() * actions.length)]!();
  // Liveness: no more input; time runs until the failover and the drill have ended.
  for (let round = 0; round < 100; round++) {
    await advanceFailover(controllers[0]!, plan);
    await advanceFailover(controllers[0]!, plan, Purpose.Drill);
    const f = (await readAppState(w.store, plan.name)).failover;
    const d = (await readAppState(w.store, plan.name, Purpose.Drill)).failover;
    if ((!f || isTerminal(f.phase)) && (!d || isTerminal(d.phase))) break;
    w.clock.advance(600);
  }
  const failover = (await readAppState(w.store, plan.name)).failover;
  const allDrills: Failover[] = [
    ...(await listArchived(w.store, plan.name, Purpose.Drill)),
    ...[(await readAppState(w.store, plan.name, Purpose.Drill)).failover].filter((d) => d !== null),
  ];
  return { w, alarmed, failover, allDrills };
}

describe('drills interleaved with failovers (seeded)', () => {
  it.each(Array.from({ length: 150 }, (_, i) => i + 1))('seed %i keeps every invariant', async (seed) => {
    const { w, alarmed, failover, allDrills } = await run(seed);
    // Traffic moves at most once, and only for a failover that completed.
    expect(w.traffic.changes).toBe(alarmed ? 1 : 0);
    if (alarmed) expect(failover?.phase).toBe('completed');
    for (const d of allDrills) {
      expect(isTerminal(d.phase)).toBe(true);
      expect(d.steps.some((s) => s.kind === 'switch')).toBe(false);
      // Everything a drill restored was torn down.
      for (const s of d.steps)
        if (s.kind === 'restore' && s.status === 'succeeded')
          expect(d.steps.find((t) => t.kind === 'teardown' && t.resource === s.resource)?.status).toBe(
            'succeeded',
          );
    }
    // A drill in flight when the failover was claimed was preempted (unless already tearing down).
    const claimed = failover ? Date.parse(failover.startedAt) : Number.POSITIVE_INFINITY;
    for (const d of allDrills) {
      const inFlight = Date.parse(d.startedAt) <= claimed && claimed < Date.parse(d.endedAt!);
      const tearing = d.history.find((h) => h.phase === 'tearing-down');
      if (inFlight && !(tearing && Date.parse(tearing.at) <= claimed)) expect(d.phase).toBe('aborted');
    }
    // Drills never overlap.
    const spans = allDrills
      .filter((d) => d.phase !== 'aborted' || d.history.length > 1)
      .map((d) => [Date.parse(d.startedAt), Date.parse(d.endedAt!)] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });
});
