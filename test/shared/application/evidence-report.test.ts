import { describe, expect, it } from 'vitest';
import { evidenceKeys } from '#shared/application/evidence-log.ts';
import { evidenceReport } from '#shared/application/evidence-report.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { Purpose } from '#shared/domain/failover.ts';
import { drillable as drillableEvery } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';
import type { awsPlanDoc } from '../../support/plans.ts';

const manual = { kind: 'manual', ref: 'cli', eventId: 'd1' } as const;
/** The drillable test plan, drilled weekly. */
const drillable = (change: (d: ReturnType<typeof awsPlanDoc>) => void = () => {}) =>
  drillableEvery((d) => {
    d.spec.drill = { schedule: 'rate(7 days)' };
    change(d);
  });

async function drilled(plan = drillable(), ages = { 'case-db': 120, 'case-api': 300 }) {
  const w = engineWorld({ ages });
  const c = w.controller();
  await requestDrill(c, plan, manual);
  await w.drive(c, plan, Purpose.Drill);
  return { w, c, plan };
}

describe('evidenceReport', () => {
  it('states the recovery invariant from the last successful drill', async () => {
    const { w, plan } = await drilled();
    const [report] = await evidenceReport(w.controller(), [plan]);
    // case-db's point was 2m old (of its own 5m), case-api's 5m (of 15m): case-db is the closer.
    expect(report!.invariant).toBe(
      'Given a total loss of eu-west-1, we can restore case-management to RPO <= 15m (case-db: 5m) within RTO <= 1h using plan case-management, ' +
        'validated by drill f1 at 2026-11-21T12:20:00.000Z (L3; measured RPO 2m 0s of 5m for case-db, RTO 20m 0s).',
    );
    expect(report).toMatchObject({
      notProvedBecause: null,
      highestLevel: { level: 'L3' },
      nextDrillDue: '2026-11-28T12:00:00.000Z',
      drills: [
        {
          drillId: 'f1',
          outcome: 'completed',
          rpoSeconds: 120,
          rpoTargetSeconds: 300,
          rpoResource: 'case-db',
          rtoSeconds: 1200,
        },
      ],
    });
  });

  it('measures each RPO when the drill started: a restore waiting for its dependencies restores the same point', async () => {
    // case-api's point is 10m old; it is restored after case-db's 10m restore, yet 10m of data is lost, not 20m.
    const { w, plan } = await drilled(drillable(), { 'case-db': 60, 'case-api': 600 });
    const [report] = await evidenceReport(w.controller(), [plan]);
    expect(report!.notProvedBecause).toBeNull();
    expect(report!.drills[0]!.resources.map((r) => [r.resource, r.rpoSeconds])).toEqual([
      ['case-db', 60],
      ['case-api', 600],
    ]);
    expect(report!.drills[0]).toMatchObject({
      rpoSeconds: 600,
      rpoTargetSeconds: 900,
      rpoResource: 'case-api',
    });
  });

  it.each([
    ['there is no drill', async () => ({ w: engineWorld(), plan: drillable() }), 'no successful drill'],
    [
      'a point was older than its RPO when the drill started',
      () => drilled(drillable(), { 'case-db': 400, 'case-api': 60 }),
      'missed the RPO of case-db (6m 40s > 5m)',
    ],
    [
      'the drill ran no validation',
      () =>
        drilled(
          drillable((d) => {
            d.spec.validate = [];
          }),
        ),
      'validated only at L2',
    ],
    [
      'the evidence chain was tampered with',
      async () => {
        const r = await drilled();
        const key = evidenceKeys.record(r.plan.name, 2);
        const item = (await r.w.store.get<Record<string, unknown>>(key))!;
        await r.w.store.update(key, { ...item.value, at: '2020-01-01T00:00:00.000Z' }, item.version);
        return r;
      },
      'the evidence chain is broken: case-management: evidence record 2 was changed',
    ],
  ])('gives the exact reason the invariant cannot be stated when %s', async (_case, setup, reason) => {
    const { w, plan } = await setup();
    const [report] = await evidenceReport(w.controller(), [plan]);
    expect(report!.invariant).toBeNull();
    expect(report!.notProvedBecause).toContain(reason);
  });

  it('shows failover timelines and L5 once a failover moved traffic', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    await w.drive(c, plan);
    const [report] = await evidenceReport(c, [plan]);
    expect(report!.failovers).toEqual([
      expect.objectContaining({
        failoverId: 'f1',
        phases: ['restoring', 'validating', 'switching', 'completed'].map((phase) =>
          expect.objectContaining({ phase }),
        ),
      }),
    ]);
    expect(report!.highestLevel).toEqual({ level: 'L5', at: '2026-11-21T12:20:00.000Z' });
  });
});
