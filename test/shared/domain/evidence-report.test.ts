/**
 * `buildAppEvidence` from hand-built evidence records (no engine run): which drill the sentence rests
 * on and each exact reason it cannot be stated, the timelines, the highest level proved, the next
 * drill due and the vaults observed. Time is injected; every expected value is written out.
 */
import { describe, expect, it } from 'vitest';
import type { DrillResult, ResourceMeasurement } from '#shared/domain/drill.ts';
import {
  type ChainVerdict,
  type EvidenceDraft,
  type EvidenceRecord,
  sealRecord,
} from '#shared/domain/evidence.ts';
import { buildAppEvidence, DRILLS_SHOWN } from '#shared/domain/evidence-report.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { azurePlanDoc, ids, loadPlan } from '../../support/plans.ts';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const OK: ChainVerdict = { ok: true, app: 'case-management', records: 1 };
/** case-management: RPO 15m (case-db 5m, case-api 15m), RTO 1h, eu-west-1 → eu-central-1. */
const plan = loadPlan();
const scheduled = (schedule: string): RecoveryPlan => ({ ...plan, drill: { schedule, keep: false } });

/** Seals drafts into one chain of case-management, oldest first. */
function records(...drafts: EvidenceDraft[]): EvidenceRecord[] {
  const out: EvidenceRecord[] = [];
  for (const d of drafts) out.push(sealRecord('case-management', out.at(-1), d));
  return out;
}
const measured = (
  resource: string,
  rpoSeconds: number | null,
  rpoTargetSeconds: number,
): ResourceMeasurement => ({
  resource,
  recoveryPoint: `rp-${resource}`,
  rpoSeconds,
  rpoTargetSeconds,
  restoreSeconds: 600,
  createdResource: null,
  tornDown: true,
});
/** A drill that completed at L3 within every objective (case-db 2m of 5m, case-api 5m of 15m, RTO 20m). */
const drill = (drillId: string, change: Partial<DrillResult> = {}): DrillResult => ({
  drillId,
  outcome: 'completed',
  startedAt: '2026-11-21T12:00:00.000Z',
  endedAt: '2026-11-21T12:25:00.000Z',
  rpoSeconds: 120,
  rpoTargetSeconds: 300,
  rpoResource: 'case-db',
  rtoSeconds: 1200,
  rtoTargetSeconds: 3600,
  level: 'L3',
  resources: [measured('case-db', 120, 300), measured('case-api', 300, 900)],
  failedChecks: [],
  leftBehind: [],
  ...change,
});
const drillRecord = (d: DrillResult, at = d.endedAt ?? d.startedAt): EvidenceDraft => ({
  kind: 'drill',
  at,
  ref: `drill/${d.drillId}`,
  data: d as unknown as Record<string, unknown>,
});
const phase = (
  failoverId: string,
  n: number,
  at: string,
  data: Record<string, unknown> = {},
): EvidenceDraft => ({
  kind: 'phase',
  at,
  ref: `failover/${failoverId}/phase/${n}`,
  data: { purpose: 'failover', failoverId, phase: 'restoring', reason: `step ${n}`, ...data },
});
const audit = (at: string, data: Record<string, unknown>): EvidenceDraft => ({
  kind: 'audit',
  at,
  ref: `audit/case-management/${at}`,
  data,
});
const report = (rs: EvidenceRecord[], p: RecoveryPlan = plan, chain: ChainVerdict = OK) =>
  buildAppEvidence(p, rs, chain, NOW);

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

describe('buildAppEvidence: the highest level proved', () => {
  const allOk = { statuses: { 'case-db': 'ok', 'case-api': 'warning' } };
  it.each<[string, EvidenceDraft[], { level: string; at: string } | null]>([
    ['nothing on record', [], null],
    [
      'an audit with every resource counted: L1',
      [audit('2026-11-20T10:00:00.000Z', allOk)],
      {
        level: 'L1',
        at: '2026-11-20T10:00:00.000Z',
      },
    ],
    [
      'an audit with a resource in breach still counted its points: L1',
      [audit('2026-11-20T10:00:00.000Z', { statuses: { 'case-db': 'breach' } })],
      { level: 'L1', at: '2026-11-20T10:00:00.000Z' },
    ],
    [
      'an audit with a resource missing or unknown proves nothing',
      [
        audit('2026-11-20T10:00:00.000Z', { statuses: { 'case-db': 'ok', 'case-api': 'missing' } }),
        audit('2026-11-20T11:00:00.000Z', { statuses: { 'case-db': 'unknown' } }),
        audit('2026-11-20T12:00:00.000Z', { statuses: {} }),
        audit('2026-11-20T13:00:00.000Z', { vaults: [] }),
      ],
      null,
    ],
    [
      'a failover phase without a level (not terminal) proves nothing',
      [phase('f1', 1, '2026-11-22T08:00:00.000Z', { phase: 'restoring' })],
      null,
    ],
    [
      'a drill that only restored (L2) over a newer audit (L1)',
      [drillRecord(drill('d1', { level: 'L2' })), audit('2026-11-29T10:00:00.000Z', allOk)],
      { level: 'L2', at: '2026-11-21T12:25:00.000Z' },
    ],
    [
      'a journey drill (L4) over a newer technical one (L3)',
      [
        drillRecord(drill('d1', { level: 'L4', endedAt: '2026-11-21T12:25:00.000Z' })),
        drillRecord(drill('d2', { level: 'L3', endedAt: '2026-11-28T12:25:00.000Z' })),
      ],
      { level: 'L4', at: '2026-11-21T12:25:00.000Z' },
    ],
    [
      'a completed drill: its level, when it ended',
      [audit('2026-11-20T10:00:00.000Z', allOk), drillRecord(drill('d1'))],
      { level: 'L3', at: '2026-11-21T12:25:00.000Z' },
    ],
    [
      'a drill that did not end: when it started',
      [drillRecord(drill('d1', { endedAt: null, level: 'L4' }))],
      { level: 'L4', at: '2026-11-21T12:00:00.000Z' },
    ],
    [
      'a failed drill proves nothing, whatever its level',
      [drillRecord(drill('d1', { outcome: 'failed', level: 'L3' }))],
      null,
    ],
    [
      'a failover that moved traffic: L5, when its phase was recorded',
      [
        drillRecord(drill('d1', { level: 'L4' })),
        phase('f1', 4, '2026-11-22T08:00:00.000Z', { phase: 'completed', level: 'L5' }),
      ],
      { level: 'L5', at: '2026-11-22T08:00:00.000Z' },
    ],
    [
      'the level of a drill phase record does not count twice (the drill record does)',
      [phase('d1', 4, '2026-11-22T08:00:00.000Z', { purpose: 'drill', phase: 'completed', level: 'L5' })],
      null,
    ],
    [
      'the newest of equal levels',
      [
        drillRecord(drill('d1', { endedAt: '2026-11-21T12:25:00.000Z' })),
        drillRecord(drill('d2', { endedAt: '2026-11-28T12:25:00.000Z' })),
        drillRecord(drill('d3', { endedAt: '2026-11-14T12:25:00.000Z' })),
      ],
      { level: 'L3', at: '2026-11-28T12:25:00.000Z' },
    ],
    [
      'a higher level before a newer lower one',
      [
        drillRecord(drill('d1', { level: 'L4', endedAt: '2026-11-21T12:25:00.000Z' })),
        drillRecord(drill('d2', { level: 'L3', endedAt: '2026-11-28T12:25:00.000Z' })),
        audit('2026-11-29T10:00:00.000Z', allOk),
      ],
      { level: 'L4', at: '2026-11-21T12:25:00.000Z' },
    ],
  ])('is %s', (_case, drafts, highest) => {
    expect(report(records(...drafts)).highestLevel).toEqual(highest);
  });
});

describe('buildAppEvidence: the next drill due', () => {
  const last = (startedAt: string) => drillRecord(drill('d1', { startedAt, endedAt: null }));
  it.each<[string, RecoveryPlan, EvidenceDraft[], string | null]>([
    ['no schedule: none', plan, [last('2026-11-21T12:00:00.000Z')], null],
    ['a schedule that does not parse: none', scheduled('every week'), [], null],
    [
      'a rate, no drill yet: one interval from now',
      scheduled('rate(7 days)'),
      [],
      '2026-12-07T09:00:00.000Z',
    ],
    [
      'a rate: one interval after the last drill started',
      scheduled('rate(7 days)'),
      [last('2026-11-21T12:00:00.000Z')],
      '2026-11-28T12:00:00.000Z',
    ],
    [
      'a rate whose interval passed: the date it was due, in the past',
      scheduled('rate(1 day)'),
      [last('2026-11-21T12:00:00.000Z')],
      '2026-11-22T12:00:00.000Z',
    ],
    [
      'a cron, no drill yet: its next firing after now',
      scheduled('cron(0 3 ? * SUN *)'),
      [],
      '2026-12-06T03:00:00.000Z',
    ],
    [
      'a cron: its first firing after the last drill started',
      scheduled('cron(0 3 ? * SUN *)'),
      [last('2026-11-21T12:00:00.000Z')],
      '2026-11-22T03:00:00.000Z',
    ],
    [
      'a cron that never fires again: says so',
      scheduled('cron(0 3 1 1 ? 2020)'),
      [],
      'never: cron(0 3 1 1 ? 2020) has no firing in the next 5 years',
    ],
  ])('is %s', (_case, p, drafts, due) => {
    expect(report(records(...drafts), p).nextDrillDue).toBe(due);
  });
});

describe('buildAppEvidence: the vaults observed', () => {
  const vault = (v: string, immutability: string) => ({
    vault: v,
    immutability,
    detail: 'read',
    finding: null,
  });
  it('takes the newest audit that read vaults, and names the plan vaults it could not read', () => {
    const other = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:other';
    const r = report(
      records(
        audit('2026-11-20T10:00:00.000Z', { vaults: [vault(ids.vault, 'governance')] }),
        audit('2026-11-21T10:00:00.000Z', { vaults: [vault(other, 'compliance')] }),
        audit('2026-11-22T10:00:00.000Z', { statuses: { 'case-db': 'ok' } }),
      ),
    );
    expect(r.vaults).toEqual({
      observedAt: '2026-11-21T10:00:00.000Z',
      vaults: [vault(other, 'compliance')],
      notObserved: [ids.vault],
    });
  });

  it('has every plan vault observed when the audit read it', () => {
    const r = report(
      records(audit('2026-11-20T10:00:00.000Z', { vaults: [vault(ids.vault, 'compliance')] })),
    );
    expect(r.vaults).toEqual({
      observedAt: '2026-11-20T10:00:00.000Z',
      vaults: [vault(ids.vault, 'compliance')],
      notObserved: [],
    });
  });

  it('is not observed (null) when no audit read a vault', () => {
    expect(report(records(audit('2026-11-20T10:00:00.000Z', { statuses: {} }))).vaults).toBeNull();
    expect(report([], loadPlan(azurePlanDoc())).vaults).toBeNull();
  });
});
