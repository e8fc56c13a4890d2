/**
 * `buildAppEvidence` from hand-built evidence records (no engine run): what the report names, the
 * drills' cleanups, the sentence — which drill it rests on and each exact reason it cannot be stated —
 * and the failover timelines. Levels, next drill and vaults: `evidence-report-levels.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import type { ChainVerdict, EvidenceDraft, EvidenceRecord } from '#shared/domain/evidence.ts';
import { DRILLS_SHOWN } from '#shared/domain/evidence-report.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import {
  audit,
  drill,
  drillRecord,
  measured,
  OK,
  phase,
  plan,
  records,
  report,
} from '../../support/evidence-records.ts';
import { ids } from '../../support/plans.ts';

describe('buildAppEvidence: what the report names', () => {
  it('gives the objectives and the two sites', () => {
    expect(report([])).toMatchObject({
      app: 'case-management',
      objectives: { rpoSeconds: 900, rtoSeconds: 3600 },
      primary: 'aws eu-west-1',
      recovery: 'aws eu-central-1',
      chain: OK,
      drills: [],
      failovers: [],
      highestLevel: null,
      nextDrillDue: null,
      vaults: null,
    });
  });

  it(`lists the ${DRILLS_SHOWN} newest drills, newest first`, () => {
    expect(DRILLS_SHOWN).toBe(5);
    const drills = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'].map((id) => drill(id));
    expect(report(records(...drills.map((d) => drillRecord(d)))).drills.map((d) => d.drillId)).toEqual([
      'd7',
      'd6',
      'd5',
      'd4',
      'd3',
    ]);
  });
});

describe('buildAppEvidence: what happened to what a drill kept', () => {
  const cleanup = (drillId: string, at: string, data: Record<string, unknown>): EvidenceDraft => ({
    kind: 'cleanup',
    at,
    ref: `drill/${drillId}/cleanup`,
    data: { drillId, ...data },
  });

  it('shows on each drill the deletion of what it kept, from its cleanup record', () => {
    const r = report(
      records(
        drillRecord(drill('d1', { leftBehind: ['arn:db-drill', 'arn:api-drill'] })),
        drillRecord(drill('d2')),
        cleanup('d1', '2026-11-22T12:25:00.000Z', {
          deleted: ['arn:db-drill'],
          leftBehind: [{ createdResource: 'arn:api-drill', error: 'AccessDenied' }],
        }),
      ),
    );
    expect(r.drills.map((d) => [d.drillId, d.cleanup])).toEqual([
      ['d2', undefined],
      [
        'd1',
        {
          at: '2026-11-22T12:25:00.000Z',
          deleted: ['arn:db-drill'],
          leftBehind: [{ createdResource: 'arn:api-drill', error: 'AccessDenied' }],
        },
      ],
    ]);
    expect('cleanup' in r.drills[0]!).toBe(false);
  });

  it('reads a cleanup record without lists as nothing deleted and nothing left', () => {
    const r = report(records(drillRecord(drill('d1')), cleanup('d1', '2026-11-22T12:25:00.000Z', {})));
    expect(r.drills[0]!.cleanup).toEqual({ at: '2026-11-22T12:25:00.000Z', deleted: [], leftBehind: [] });
  });

  it('takes only cleanup records as cleanups, whatever else names the drill', () => {
    const r = report(
      records(drillRecord(drill('d1')), audit('2026-11-22T12:25:00.000Z', { drillId: 'd1', deleted: ['x'] })),
    );
    expect(r.drills[0]!.cleanup).toBeUndefined();
  });
});

describe('buildAppEvidence: the recovery invariant', () => {
  it('states it from the last successful drill, with the resources that have their own RPO', () => {
    const r = report(records(drillRecord(drill('d1'))));
    expect(r.invariant).toBe(
      'Given a total loss of eu-west-1, we can restore case-management to RPO <= 15m (case-db: 5m) within RTO <= 1h ' +
        'using plan case-management, validated by drill d1 at 2026-11-21T12:25:00.000Z ' +
        '(L3; measured RPO 2m 0s of 5m for case-db, RTO 20m 0s).',
    );
    expect(r.notProvedBecause).toBeNull();
  });

  it('names no resource when every resource has the plan RPO, and the drill start when it has no end', () => {
    const same: RecoveryPlan = { ...plan, resources: plan.resources.map((x) => ({ ...x, rpoSeconds: 900 })) };
    const d = drill('d1', { endedAt: null, rpoResource: undefined, rpoSeconds: 60, rpoTargetSeconds: 900 });
    expect(report(records(drillRecord(d)), same).invariant).toBe(
      'Given a total loss of eu-west-1, we can restore case-management to RPO <= 15m within RTO <= 1h ' +
        'using plan case-management, validated by drill d1 at 2026-11-21T12:00:00.000Z (L3; measured RPO 1m 0s, RTO 20m 0s).',
    );
  });

  it('names every resource with an RPO of its own', () => {
    const two: RecoveryPlan = {
      ...plan,
      resources: plan.resources.map((x) => ({ ...x, rpoSeconds: x.name === 'case-db' ? 300 : 3600 })),
    };
    expect(report(records(drillRecord(drill('d1'))), two).invariant).toContain(
      'to RPO <= 15m (case-db: 5m, case-api: 1h) within RTO <= 1h',
    );
  });

  it('holds at the objectives exactly (RPO and RTO met, not missed)', () => {
    const d = drill('d1', {
      resources: [measured('case-db', 300, 300), measured('case-api', 900, 900)],
      rtoSeconds: 3600,
    });
    expect(report(records(drillRecord(d))).notProvedBecause).toBeNull();
  });

  it.each(['L3', 'L4', 'L5'] as const)('holds for a drill validated at %s', (level) => {
    expect(report(records(drillRecord(drill('d1', { level })))).notProvedBecause).toBeNull();
  });

  it('rests on the newest drill that completed, not on a newer one that failed', () => {
    const r = report(
      records(
        drillRecord(drill('d1', { level: 'L2' })),
        drillRecord(drill('d2')),
        drillRecord(drill('d3', { outcome: 'failed', level: null })),
      ),
    );
    expect(r.invariant).toContain('validated by drill d2 at');
  });

  it.each<[string, () => EvidenceRecord[], ChainVerdict, string]>([
    [
      'the chain is broken',
      () => records(drillRecord(drill('d1'))),
      {
        ok: false,
        app: 'case-management',
        records: 4,
        seq: 2,
        tamper: 'changed',
        reason: 'case-management: evidence record 2 was changed: its content does not match its hash',
      },
      'the evidence chain is broken: case-management: evidence record 2 was changed: its content does not match its hash',
    ],
    ['there is no drill', () => [], OK, 'no successful drill'],
    [
      'no drill completed',
      () =>
        records(
          drillRecord(drill('d1', { outcome: 'aborted' })),
          drillRecord(drill('d2', { outcome: 'failed' })),
        ),
      OK,
      'no successful drill (the last ended failed)',
    ],
    [
      'the last successful drill proved no level',
      () => records(drillRecord(drill('d1', { level: null }))),
      OK,
      'validated only at no level (the last successful drill ran no validation)',
    ],
    [
      'the last successful drill ran no probe (L2)',
      () => records(drillRecord(drill('d1')), drillRecord(drill('d2', { level: 'L2' }))),
      OK,
      'validated only at L2 (the last successful drill ran no validation)',
    ],
    [
      'a point was older than its RPO',
      () =>
        records(
          drillRecord(
            drill('d1', { resources: [measured('case-db', 301, 300), measured('case-api', 300, 900)] }),
          ),
        ),
      OK,
      'the last successful drill (d1, 2026-11-21T12:00:00.000Z) missed the RPO of case-db (5m 1s > 5m)',
    ],
    [
      'two points were too old or of unknown age',
      () =>
        records(
          drillRecord(
            drill('d1', { resources: [measured('case-db', 3700, 300), measured('case-api', null, 900)] }),
          ),
        ),
      OK,
      'the last successful drill (d1, 2026-11-21T12:00:00.000Z) missed the RPO of case-db (1h 1m > 5m), case-api (unknown > 15m)',
    ],
    [
      'the restore took longer than the RTO',
      () => records(drillRecord(drill('d1', { rtoSeconds: 3601 }))),
      OK,
      'the last successful drill (d1) took 1h 0m, over the RTO of 1h',
    ],
    [
      'the RTO was never measured',
      () => records(drillRecord(drill('d1', { rtoSeconds: null }))),
      OK,
      'the last successful drill (d1) took unknown, over the RTO of 1h',
    ],
  ])('is not stated when %s, with the exact reason', (_case, rs, chain, reason) => {
    const r = report(rs(), plan, chain);
    expect(r.invariant).toBeNull();
    expect(r.notProvedBecause).toBe(reason);
  });
});

describe('buildAppEvidence: failover timelines', () => {
  it('groups the phases and decisions of each failover, in chain order, with its trigger', () => {
    const trigger = { kind: 'alarm', ref: ids.alarm };
    const r = report(
      records(
        phase('f1', 1, '2026-11-21T12:00:00.000Z', { phase: 'awaiting-approval', trigger }),
        {
          kind: 'approval',
          at: '2026-11-21T12:03:00.000Z',
          ref: 'failover/f1/approval',
          data: { purpose: 'failover', failoverId: 'f1', decision: 'approved', by: 'ops@example.com' },
        },
        phase('d9', 1, '2026-11-21T12:04:00.000Z', { purpose: 'drill' }),
        phase('f2', 1, '2026-11-21T12:05:00.000Z', { phase: 'restoring' }),
        phase('f1', 2, '2026-11-21T12:06:00.000Z', { phase: 'restoring' }),
        {
          kind: 'override',
          at: '2026-11-21T12:07:00.000Z',
          ref: 'failover/f2/override',
          data: { purpose: 'failover', failoverId: 'f2', by: 'ops', reason: 'break glass' },
        },
      ),
    );
    expect(r.failovers).toEqual([
      {
        failoverId: 'f1',
        trigger,
        phases: [
          { phase: 'awaiting-approval', at: '2026-11-21T12:00:00.000Z', reason: 'step 1' },
          { phase: 'restoring', at: '2026-11-21T12:06:00.000Z', reason: 'step 2' },
        ],
        decisions: [{ decision: 'approved', by: 'ops@example.com', at: '2026-11-21T12:03:00.000Z' }],
      },
      {
        failoverId: 'f2',
        trigger: null,
        phases: [{ phase: 'restoring', at: '2026-11-21T12:05:00.000Z', reason: 'step 1' }],
        decisions: [],
      },
    ]);
  });
});
