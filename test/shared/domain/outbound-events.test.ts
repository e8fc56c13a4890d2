import { describe, expect, it } from 'vitest';
import { type EvidenceDraft, sealRecord } from '#shared/domain/evidence.ts';
import { EVENT_SOURCE, OUTBOUND_DETAIL_TYPES, outboundEventOf } from '#shared/domain/outbound-events.ts';

const AT = '2026-11-21T12:20:00.000Z';
/** One sealed record of `payments` (the first of its chain), of `kind` with `data`. */
const record = (kind: EvidenceDraft['kind'], data: Record<string, unknown>) =>
  sealRecord('payments', undefined, { kind, at: AT, ref: `${kind}/payments/1`, data });

describe('outbound event names (docs/events.md)', () => {
  it('publishes under source standby with the three documented detail types', () => {
    expect(EVENT_SOURCE).toBe('standby');
    expect(OUTBOUND_DETAIL_TYPES).toEqual({
      failoverStateChange: 'Standby Failover State Change',
      drillCompleted: 'Standby Drill Completed',
      freshnessBreach: 'Standby Freshness Breach',
    });
  });
});

describe('outboundEventOf', () => {
  it('publishes a phase change of a failover, its id the record hash and its time the record time', () => {
    const r = record('phase', {
      purpose: 'failover',
      failoverId: 'f-7',
      phase: 'restoring',
      reason: 'alarm dr-health went to ALARM',
      trigger: { kind: 'alarm' },
    });
    expect(outboundEventOf(r)).toEqual({
      id: r.hash,
      time: AT,
      detailType: 'Standby Failover State Change',
      detail: {
        app: 'payments',
        failoverId: 'f-7',
        phase: 'restoring',
        reason: 'alarm dr-health went to ALARM',
      },
    });
  });

  it('adds the level a failover proved on its terminal phase', () => {
    const r = record('phase', {
      purpose: 'failover',
      failoverId: 'f-7',
      phase: 'completed',
      reason: 'traffic switched',
      level: 'L5',
    });
    expect(outboundEventOf(r)?.detail).toEqual({
      app: 'payments',
      failoverId: 'f-7',
      phase: 'completed',
      reason: 'traffic switched',
      level: 'L5',
    });
  });

  it('publishes nothing for a phase change of a drill (a drill publishes once, when it ends)', () => {
    expect(
      outboundEventOf(
        record('phase', { purpose: 'drill', failoverId: 'd-1', phase: 'restoring', reason: 'x' }),
      ),
    ).toBeUndefined();
  });

  it.each(['approval', 'override', 'cleanup'] as const)('publishes nothing for an %s record', (kind) => {
    expect(
      outboundEventOf(
        record(kind, { purpose: 'failover', failoverId: 'f-7', decision: 'approve', by: 'ops' }),
      ),
    ).toBeUndefined();
  });

  it('publishes what a drill measured', () => {
    const r = record('drill', {
      drillId: 'd-1',
      outcome: 'completed',
      level: 'L3',
      rpoSeconds: 3600,
      rpoTargetSeconds: 900,
      rpoResource: 'settlement-db',
      rtoSeconds: 1800,
      rtoTargetSeconds: 3600,
      failedChecks: ['validate:2: 503'],
      leftBehind: ['arn:aws:rds:eu-central-1:111122223333:db:settlement-db-drill'],
      resources: [{ resource: 'settlement-db' }],
    });
    expect(outboundEventOf(r)).toEqual({
      id: r.hash,
      time: AT,
      detailType: 'Standby Drill Completed',
      detail: {
        app: 'payments',
        drillId: 'd-1',
        outcome: 'completed',
        level: 'L3',
        rpoSeconds: 3600,
        rpoTargetSeconds: 900,
        rtoSeconds: 1800,
        rtoTargetSeconds: 3600,
        failedChecks: ['validate:2: 503'],
        leftBehind: ['arn:aws:rds:eu-central-1:111122223333:db:settlement-db-drill'],
      },
    });
  });

  it('publishes the resources of an audit that are in breach, missing or unknown, with their status', () => {
    const r = record('audit', {
      statuses: {
        'ledger-db': 'ok',
        'settlement-batch': 'breach',
        'card-vault': 'missing',
        'fx-rates': 'warning',
        'audit-log': 'unknown',
      },
    });
    expect(outboundEventOf(r)).toEqual({
      id: r.hash,
      time: AT,
      detailType: 'Standby Freshness Breach',
      detail: {
        app: 'payments',
        resources: [
          { resource: 'settlement-batch', status: 'breach' },
          { resource: 'card-vault', status: 'missing' },
          { resource: 'audit-log', status: 'unknown' },
        ],
      },
    });
  });

  it.each([
    ['every resource ok or warning', { statuses: { 'ledger-db': 'ok', 'fx-rates': 'warning' } }],
    ['no resource', { statuses: {} }],
    ['no statuses on record', { outcome: 'ok' }],
  ])('publishes nothing for an audit with %s', (_case, data) => {
    expect(outboundEventOf(record('audit', data))).toBeUndefined();
  });
});
