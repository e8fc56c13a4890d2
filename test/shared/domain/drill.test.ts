/**
 * The drill as pure functions: what a finished drill measured (`measureDrill`) and the level it
 * proved (`levelProved`); the plan it runs is `drill-plan.test.ts`. Steps are written out by hand,
 * so each expected figure is visible in the test; times are fixed.
 */
import { describe, expect, it } from 'vitest';
import { levelProved, measureDrill, ValidationLevel } from '#shared/domain/drill.ts';
import { type Failover, KEPT_FOR_INSPECTION, type Step } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { DRILL_URL, drillable } from '../../support/drills.ts';
import { startDrill } from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const T0 = '2026-11-21T12:00:00.000Z';
/** `s` seconds after T0, as stored. */
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();
const base = { startedAt: null, endedAt: null, attempts: 1, notBefore: null };

const restore = (
  resource: string,
  status: Step['status'],
  change: Partial<Extract<Step, { kind: 'restore' }>> = {},
): Step => ({
  kind: 'restore',
  name: `restore:${resource}`,
  status,
  ...base,
  resource,
  dependsOn: [],
  recoveryPoint: `rp-${resource}`,
  idempotencyToken: `d1-${resource}`,
  jobId: `j-${resource}`,
  ...change,
});
const probe = (i: number, status: Step['status'], endedAt: string | null = null, detail?: string): Step => ({
  kind: 'validate',
  name: `validate:${i + 1}`,
  status,
  ...base,
  endedAt,
  probe: i,
  url: `https://drill.example.com/${i}`,
  maxAttempts: 1,
  ...(detail ? { detail } : {}),
});
const teardown = (resource: string, status: Step['status']): Step => ({
  kind: 'teardown',
  name: `teardown:${resource}`,
  status,
  ...base,
  resource,
});
const switchStep = (status: Step['status']): Step => ({ kind: 'switch', name: 'switch', status, ...base });

/** The drillable plan (case-db 5m, case-api 15m, RTO 1h; one probe) run as drill d1 with `steps`. */
const drillWith = (steps: Step[], change: Partial<Failover> = {}, plan = drillable()): Failover => ({
  ...startDrill(plan, 'd1'),
  steps,
  phase: 'completed',
  endedAt: at(2000),
  ...change,
});
const restoredDb = (s: number, change = {}) =>
  restore('case-db', 'succeeded', { startedAt: at(1), endedAt: at(s), pointCreatedAt: at(-120), ...change });
const restoredApi = (s: number, change = {}) =>
  restore('case-api', 'succeeded', {
    startedAt: at(s - 300),
    endedAt: at(s),
    pointCreatedAt: at(-600),
    ...change,
  });

describe('measureDrill', () => {
  it('measures each resource, the worst RPO against its own objective, and the RTO to the last probe', () => {
    const f = drillWith([
      restoredDb(600, { createdResource: 'arn:db-drill' }),
      restoredApi(1200, { createdResource: 'arn:api-drill' }),
      probe(0, 'succeeded', at(1300)),
      teardown('case-db', 'succeeded'),
      teardown('case-api', 'failed'),
    ]);
    expect(measureDrill(f)).toEqual({
      drillId: 'd1',
      outcome: 'completed',
      startedAt: T0,
      endedAt: at(2000),
      // case-db: 120 s of 300 (0.4); case-api: 600 s of 900 (0.67) — the closer to its objective.
      rpoSeconds: 600,
      rpoTargetSeconds: 900,
      rpoResource: 'case-api',
      rtoSeconds: 1300,
      rtoTargetSeconds: 3600,
      level: 'L3',
      resources: [
        {
          resource: 'case-db',
          recoveryPoint: 'rp-case-db',
          rpoSeconds: 120,
          rpoTargetSeconds: 300,
          restoreSeconds: 599,
          createdResource: 'arn:db-drill',
          tornDown: true,
        },
        {
          resource: 'case-api',
          recoveryPoint: 'rp-case-api',
          rpoSeconds: 600,
          rpoTargetSeconds: 900,
          restoreSeconds: 300,
          createdResource: 'arn:api-drill',
          tornDown: false,
        },
      ],
      failedChecks: ['teardown:case-api: failed'],
      leftBehind: ['arn:api-drill'],
    });
  });

  it('names the resource furthest into its objective, not the oldest point', () => {
    const f = drillWith([
      restoredDb(600, { pointCreatedAt: at(-280) }), // 280 s of 300: 0.93
      restoredApi(1200, { pointCreatedAt: at(-800) }), // 800 s of 900: 0.89
      probe(0, 'succeeded', at(1300)),
    ]);
    expect(measureDrill(f)).toMatchObject({ rpoSeconds: 280, rpoTargetSeconds: 300, rpoResource: 'case-db' });
  });

  it('names a resource whose point time is unknown before any measured one', () => {
    const f = drillWith([
      restoredDb(600, { pointCreatedAt: at(-5000) }),
      restoredApi(1200, { pointCreatedAt: undefined }),
      probe(0, 'succeeded', at(1300)),
    ]);
    expect(measureDrill(f)).toMatchObject({
      rpoSeconds: null,
      rpoTargetSeconds: 900,
      rpoResource: 'case-api',
    });
    expect(measureDrill(f).resources[1]).toMatchObject({ rpoSeconds: null });
  });

  it('rounds each duration to whole seconds and never counts one below zero', () => {
    const f = drillWith([
      restoredDb(600, {
        startedAt: '2026-11-21T12:00:00.400Z',
        endedAt: '2026-11-21T12:00:10.900Z',
        pointCreatedAt: '2026-11-21T11:59:58.600Z',
      }),
      restoredApi(1200, { pointCreatedAt: at(30) }),
      probe(0, 'succeeded', at(1300)),
    ]);
    expect(measureDrill(f).resources.map((r) => [r.rpoSeconds, r.restoreSeconds])).toEqual([
      [1, 11],
      [0, 300],
    ]);
  });

  it('takes the last probe to end for the RTO, whatever the order of the steps', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        (d.spec.validate as unknown[]).push({ http: { url: 'https://case.example.com/2' } });
        (d.spec.validate as unknown[]).push({ http: { url: 'https://case.example.com/3' } });
      }),
    );
    const f = drillWith(
      [
        restoredDb(600),
        restoredApi(1200),
        probe(0, 'succeeded', at(1250)),
        probe(1, 'succeeded', at(1900)),
        probe(2, 'succeeded', at(1400)),
      ],
      {},
      plan,
    );
    expect(measureDrill(f).rtoSeconds).toBe(1900);
  });

  it('takes the last restore to end for the RTO of a plan without probes, at L2', () => {
    const f = drillWith(
      [restoredDb(1500), restoredApi(1200)],
      {},
      drillable((d) => (d.spec.validate = [])),
    );
    expect(measureDrill(f)).toMatchObject({ rtoSeconds: 1500, level: 'L2' });
  });

  it.each<[string, Step[], string | null]>([
    [
      'a restore failed',
      [restoredDb(600), restore('case-api', 'failed', { detail: 'AccessDenied' }), probe(0, 'skipped')],
      null,
    ],
    ['a restore never ran', [restoredDb(600), restore('case-api', 'skipped'), probe(0, 'skipped')], null],
    [
      'the probe failed',
      [restoredDb(600), restoredApi(1200), probe(0, 'failed', at(1300), '503 from the drill URL')],
      'L2',
    ],
  ])('has no RTO when %s', (_case, steps, level) => {
    const m = measureDrill(drillWith(steps, { phase: 'failed' }));
    expect(m).toMatchObject({ outcome: 'failed', rtoSeconds: null, level });
  });

  it('lists each failed step with its detail, or "failed"', () => {
    const m = measureDrill(
      drillWith([
        restoredDb(600),
        restore('case-api', 'failed', { detail: 'AccessDenied' }),
        probe(0, 'failed', at(1300)),
      ]),
    );
    expect(m.failedChecks).toEqual(['restore:case-api: AccessDenied', 'validate:1: failed']);
    expect(m.resources[1]).toMatchObject({ restoreSeconds: null, tornDown: false, createdResource: null });
  });

  it('gives no restore time for a restore that failed, though it started and ended', () => {
    const m = measureDrill(
      drillWith([
        restoredDb(600),
        restore('case-api', 'failed', { startedAt: at(601), endedAt: at(900), detail: 'RestoreJobFailed' }),
        probe(0, 'skipped'),
      ]),
    );
    expect(m.resources.map((r) => [r.resource, r.restoreSeconds])).toEqual([
      ['case-db', 599],
      ['case-api', null],
    ]);
  });

  it('leaves behind what was created and not torn down, kept or failed', () => {
    const m = measureDrill(
      drillWith([
        restoredDb(600, { createdResource: 'arn:db-drill' }),
        restoredApi(1200, { createdResource: 'arn:api-drill' }),
        probe(0, 'succeeded', at(1300)),
        teardown('case-db', 'skipped'),
        teardown('case-api', 'succeeded'),
      ]),
    );
    expect(m.leftBehind).toEqual(['arn:db-drill']);
  });

  describe('with spec.drill.keep', () => {
    const kept = (s: Step): Step =>
      s.kind === 'teardown' ? { ...s, status: 'skipped', detail: KEPT_FOR_INSPECTION } : s;
    const keptDrill = (change: Partial<Failover> = {}, keepForSeconds?: number) => {
      const plan = drillable();
      return drillWith(
        [
          restoredDb(600, { createdResource: 'arn:db-drill' }),
          restoredApi(1200, { createdResource: 'arn:api-drill' }),
          probe(0, 'succeeded', at(1300)),
          teardown('case-db', 'pending'),
          teardown('case-api', 'pending'),
        ].map(kept),
        change,
        { ...plan, drill: { keep: true, ...(keepForSeconds ? { keepForSeconds } : {}) } },
      );
    };

    it('says until when what it kept is kept: its end plus keepFor, a day by default', () => {
      expect(measureDrill(keptDrill())).toMatchObject({
        leftBehind: ['arn:db-drill', 'arn:api-drill'],
        keptUntil: '2026-11-22T12:33:20.000Z',
      });
      expect(measureDrill(keptDrill({}, 3600)).keptUntil).toBe('2026-11-21T13:33:20.000Z');
    });

    it('keeps nothing past the end of an aborted drill', () => {
      expect(measureDrill(keptDrill({ phase: 'aborted' }, 3600)).keptUntil).toBe(at(2000));
    });

    it('names no expiry while the drill runs, nor when it kept nothing', () => {
      expect('keptUntil' in measureDrill(keptDrill({ phase: 'tearing-down', endedAt: null }))).toBe(false);
      expect('keptUntil' in measureDrill(drillWith([restoredDb(600), restoredApi(1200)]))).toBe(false);
    });
  });

  it('measures a drill with no restore (nothing restorable) as proving nothing', () => {
    const m = measureDrill(drillWith([probe(0, 'skipped')], { phase: 'aborted', endedAt: null }));
    expect(m).toEqual({
      drillId: 'd1',
      outcome: 'aborted',
      startedAt: T0,
      endedAt: null,
      rpoSeconds: null,
      rpoTargetSeconds: 900,
      rtoSeconds: null,
      rtoTargetSeconds: 3600,
      level: null,
      resources: [],
      failedChecks: [],
      leftBehind: [],
    });
    expect('rpoResource' in m).toBe(false);
  });

  it('takes the plan RPO for a restored resource the stored plan no longer names', () => {
    const m = measureDrill(
      drillWith([
        restore('ledger', 'succeeded', { pointCreatedAt: at(-60), startedAt: at(1), endedAt: at(61) }),
      ]),
    );
    expect(m.resources[0]).toMatchObject({ resource: 'ledger', rpoSeconds: 60, rpoTargetSeconds: 900 });
  });
});

describe('levelProved', () => {
  const journeyPlan: RecoveryPlan = drillable((d) => {
    (d.spec.validate as unknown[]).push({
      http: { url: 'https://case.example.com/buy', drillUrl: DRILL_URL, journey: true },
    });
  });
  const withSteps = (steps: Step[], plan = drillable()) => drillWith(steps, {}, plan);
  it.each<[string, Failover, boolean, boolean, string | null]>([
    ['nothing restored', withSteps([switchStep('succeeded')]), false, true, null],
    ['restored, not validated', withSteps([switchStep('succeeded'), probe(0, 'failed')]), true, false, 'L2'],
    ['restored, validated by a probe', withSteps([probe(0, 'succeeded')]), true, true, 'L3'],
    ['restored with no probe at all', withSteps([]), true, true, 'L2'],
    [
      'validated by a journey probe',
      withSteps([probe(0, 'succeeded'), probe(1, 'succeeded')], journeyPlan),
      true,
      true,
      'L4',
    ],
    [
      'validated, the journey probe not the one that ran',
      withSteps([probe(0, 'succeeded')], journeyPlan),
      true,
      true,
      'L3',
    ],
    [
      'validated and traffic switched',
      withSteps([probe(0, 'succeeded'), switchStep('succeeded')]),
      true,
      true,
      'L5',
    ],
    [
      'validated, the switch not done',
      withSteps([probe(0, 'succeeded'), switchStep('failed')]),
      true,
      true,
      'L3',
    ],
  ])('is right when %s', (_case, f, restored, validated, level) => {
    expect(levelProved(f, restored, validated)).toBe(level);
  });

  it('names the six levels, L0 to L5', () => {
    expect(Object.values(ValidationLevel)).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5']);
  });
});
