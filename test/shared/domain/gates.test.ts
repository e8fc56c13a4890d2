import { describe, expect, it } from 'vitest';
import type { Freshness, FreshnessStatus } from '#shared/domain/freshness.ts';
import { evaluateGates, GATES, type GateInput, OVERRIDABLE } from '#shared/domain/gates.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const now = new Date('2026-11-21T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
/** The standard plan (case-db, case-api; both restorable), with a 1h cooldown unless told otherwise. */
const plan = (change: (spec: Record<string, unknown>) => void = () => {}) =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.failover = { mode: 'automatic', cooldown: '1h' };
      change(d.spec);
    }),
  );

function fresh(
  resource: string,
  status: FreshnessStatus = 'ok',
  point: string | null = `rp-${resource}`,
): Freshness {
  return {
    resource,
    status,
    ageSeconds: status === 'missing' || status === 'unknown' ? null : 3600,
    rpoSeconds: 900,
    recoveryPoint: point,
    lastJob: null,
    reason: '',
    alert: status !== 'ok',
  };
}
const allFresh = [fresh('case-db'), fresh('case-api')];
const verdict = (input: Partial<GateInput> & { plan?: RecoveryPlan } = {}) =>
  evaluateGates({ plan: plan(), lastCompletedAt: null, freshness: allFresh, now, ...input });

describe('evaluateGates', () => {
  it('passes every gate, in order, and chooses each resource’s recovery point', () => {
    expect(verdict()).toEqual({
      gates: [
        { gate: 'cooldown', passed: true, reason: 'no failover completed within the cooldown of 1h' },
        { gate: 'restorable', passed: true, reason: 'every resource has a restore block (2)' },
        { gate: 'recovery-points', passed: true, reason: 'a restorable recovery point for every resource' },
        { gate: 'fresh-backups', passed: true, reason: 'every backup is within its RPO' },
      ],
      refusal: undefined,
      recoveryPoints: { 'case-db': 'rp-case-db', 'case-api': 'rp-case-api' },
      overridden: [],
    });
  });

  it.each([
    { last: 59, passed: false },
    { last: 60, passed: true }, // exactly the cooldown ago: it has run out
    { last: 61, passed: true },
  ])('a failover completed $last minutes ago passes the 1h cooldown: $passed', ({ last, passed }) => {
    const cooldown = verdict({ lastCompletedAt: minutesAgo(last) }).gates[0];
    expect(cooldown).toEqual({
      gate: 'cooldown',
      passed,
      reason: passed
        ? 'no failover completed within the cooldown of 1h'
        : `cooldown: the last failover completed at ${minutesAgo(last)}, within the cooldown of 1h`,
    });
  });

  it('has no cooldown gate to pass when the plan sets none', () => {
    const p = plan((s) => {
      s.failover = { mode: 'automatic' };
    });
    expect(verdict({ plan: p, lastCompletedAt: minutesAgo(1) }).gates[0]).toEqual({
      gate: 'cooldown',
      passed: true,
      reason: 'no cooldown configured',
    });
  });

  it('refuses a plan with resources it cannot restore, naming them', () => {
    const p = plan((s) => {
      for (const r of s.resources as { awsBackup: { restore?: unknown } }[]) delete r.awsBackup.restore;
    });
    expect(verdict({ plan: p }).gates[1]).toEqual({
      gate: 'restorable',
      passed: false,
      reason: 'cannot restore case-db, case-api: no restore block in the plan',
    });
  });

  it.each<[FreshnessStatus, string | null, boolean]>([
    ['missing', null, false],
    ['missing', 'rp-x', false],
    ['unknown', null, false],
    ['unknown', 'rp-x', false],
    ['ok', null, false],
    ['breach', 'rp-x', true],
    ['warning', 'rp-x', true],
  ])('a resource %s with point %s has a usable recovery point: %s', (status, point, usable) => {
    const v = verdict({ freshness: [fresh('case-db'), fresh('case-api', status, point)] });
    expect(v.gates[2]).toEqual({
      gate: 'recovery-points',
      passed: usable,
      reason: usable
        ? 'a restorable recovery point for every resource'
        : `no restorable recovery point for case-api (${status})`,
    });
    expect(v.recoveryPoints).toEqual(
      point ? { 'case-db': 'rp-case-db', 'case-api': point } : { 'case-db': 'rp-case-db' },
    );
  });

  it('names every resource without a usable point', () => {
    expect(
      verdict({ freshness: [fresh('case-db', 'missing', null), fresh('case-api', 'unknown', null)] }).refusal,
    ).toBe('no restorable recovery point for case-db (missing), case-api (unknown)');
  });

  it('refuses stale backups when fresh ones are required, naming each with its age and RPO', () => {
    const v = verdict({ freshness: [fresh('case-db', 'breach'), fresh('case-api', 'breach')] });
    expect(v.gates[3]).toEqual({
      gate: 'fresh-backups',
      passed: false,
      reason:
        'stale backups (requireFreshBackups): case-db is 1h 0m old, RPO 15m; case-api is 1h 0m old, RPO 15m',
    });
    expect(v.refusal).toBe(v.gates[3]?.reason);
  });

  it('lets stale backups pass, named, when the plan does not require fresh ones', () => {
    const p = plan((s) => {
      s.failover = { mode: 'automatic', requireFreshBackups: false };
    });
    expect(
      verdict({ plan: p, freshness: [fresh('case-db', 'breach'), fresh('case-api', 'breach')] }).gates[3],
    ).toEqual({
      gate: 'fresh-backups',
      passed: true,
      reason: 'stale backups allowed (requireFreshBackups: false): case-db, case-api',
    });
  });

  it('refuses with the first refusing gate’s reason', () => {
    const v = verdict({
      lastCompletedAt: minutesAgo(5),
      freshness: [fresh('case-db', 'breach'), fresh('case-api')],
    });
    expect(v.refusal).toBe(
      `cooldown: the last failover completed at ${minutesAgo(5)}, within the cooldown of 1h`,
    );
    expect(v.gates.filter((g) => !g.passed).map((g) => g.gate)).toEqual(['cooldown', 'fresh-backups']);
  });

  describe('break-glass overrides', () => {
    it('only stale backups and the cooldown can be overridden', () => {
      expect(OVERRIDABLE).toEqual(['fresh-backups', 'cooldown']);
      expect(GATES).toEqual(['cooldown', 'restorable', 'recovery-points', 'fresh-backups']);
    });

    it('passes an accepted refusing gate, marked and with its reason kept', () => {
      const v = verdict({
        lastCompletedAt: minutesAgo(5),
        freshness: [fresh('case-db', 'breach'), fresh('case-api')],
        accept: ['cooldown', 'fresh-backups'],
      });
      expect(v.refusal).toBeUndefined();
      expect(v.overridden).toEqual(['cooldown', 'fresh-backups']);
      expect(v.gates[0]).toEqual({
        gate: 'cooldown',
        passed: true,
        overridden: true,
        reason: `overridden: cooldown: the last failover completed at ${minutesAgo(5)}, within the cooldown of 1h`,
      });
    });

    it('never overrides a gate that is not overridable, nor marks a gate that passed', () => {
      const p = plan((s) => {
        for (const r of s.resources as { awsBackup: { restore?: unknown } }[]) delete r.awsBackup.restore;
      });
      const v = verdict({ plan: p, accept: ['restorable', 'recovery-points', 'cooldown'] });
      expect(v.gates[1]).toMatchObject({ gate: 'restorable', passed: false });
      expect(v.gates[1]).not.toHaveProperty('overridden');
      expect(v.gates[0]).not.toHaveProperty('overridden');
      expect(v.overridden).toEqual([]);
      expect(v.refusal).toBe('cannot restore case-db, case-api: no restore block in the plan');
    });
  });
});
