/**
 * `buildAppEvidence` from hand-built evidence records: the highest level proved and how proofs rank,
 * the next drill due (rate and cron, time injected), and the recovery vaults observed by the newest
 * audit that read them.
 */
import { describe, expect, it } from 'vitest';
import type { EvidenceDraft } from '#shared/domain/evidence.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import {
  audit,
  drill,
  drillRecord,
  phase,
  plan,
  records,
  report,
  scheduled,
} from '../../support/evidence-records.ts';
import { azurePlanDoc, ids, loadPlan } from '../../support/plans.ts';

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
