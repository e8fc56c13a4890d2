import { describe, expect, it } from 'vitest';
import {
  estimateRto,
  type RestoreObservation,
  restoreObservations,
  restoreTypeOf,
} from '#shared/domain/rto-estimate.ts';
import { automatic, restored, start } from '../../support/failovers.ts';
import { azurePlanDoc, loadPlan } from '../../support/plans.ts';

const seen = (type: string, seconds: number, resource = 'r'): RestoreObservation => ({
  type,
  app: 'other-app',
  resource,
  seconds,
  endedAt: '2026-11-20T10:00:00.000Z',
});
const noDefault = () => undefined;

describe('restoreTypeOf', () => {
  it.each([
    ['arn:aws:rds:eu-west-1:111122223333:db:case-db', 'aws:rds:db'],
    ['arn:aws:rds:eu-west-1:111122223333:cluster:pay', 'aws:rds:cluster'],
    ['arn:aws:dynamodb:eu-west-1:111122223333:table/orders', 'aws:dynamodb:table'],
    ['arn:aws:s3:::bucket-name', 'aws:s3:bucket-name'],
  ])('names an AWS resource %s by service and kind: %s', (resourceArn, type) => {
    const resource = {
      ...automatic.resources[0]!,
      source: { kind: 'aws-backup', resourceArn, vaultArn: 'v' },
    } as const;
    expect(restoreTypeOf(resource)).toBe(type);
  });

  it('names Azure resources by their backup service', () => {
    const plan = loadPlan(azurePlanDoc());
    expect(new Set(plan.resources.map(restoreTypeOf))).toEqual(new Set(['azure:dataprotection']));
  });
});

describe('restoreObservations', () => {
  it('takes each restore that succeeded with its duration and type, from the stored plan', () => {
    expect(restoreObservations([restored(start())])).toEqual([
      {
        type: 'aws:rds:db',
        app: 'case-management',
        resource: 'case-db',
        seconds: 599,
        endedAt: '2026-11-21T12:10:00.000Z',
      },
      {
        type: 'aws:rds:db',
        app: 'case-management',
        resource: 'case-api',
        seconds: 599,
        endedAt: '2026-11-21T12:20:00.000Z',
      },
    ]);
  });

  it('skips restores still running', () => {
    expect(restoreObservations([start()])).toEqual([]);
  });
});

describe('estimateRto', () => {
  // automatic: case-db in wave 1, case-api (dependsOn case-db) in wave 2, both aws:rds:db; RTO 1h.
  it('takes the longest restore of the same type seen, and adds the waves', () => {
    const e = estimateRto(
      automatic,
      [seen('aws:rds:db', 700), seen('aws:rds:db', 1500), seen('aws:dynamodb:table', 9000)],
      noDefault,
    );
    expect(e.resources.map((r) => [r.resource, r.wave, r.seconds, r.basis])).toEqual([
      ['case-db', 1, 1500, 'seen'],
      ['case-api', 2, 1500, 'seen'],
    ]);
    expect(e.resources[0]!.detail).toContain('longest of 2 aws:rds:db restore(s) seen');
    expect(e).toMatchObject({ seconds: 3000, rtoSeconds: expect.any(Number) });
    expect(e.withinRto).toBe(3000 <= automatic.rtoSeconds);
  });

  it('falls back to the default for a type never seen, saying so', () => {
    const e = estimateRto(automatic, [], () => ({ seconds: 600, basis: 'the world says 600s' }));
    expect(e.resources[0]).toMatchObject({
      seconds: 600,
      basis: 'default',
      detail: 'no aws:rds:db restore seen; the world says 600s',
    });
    expect(e.seconds).toBe(1200);
  });

  it('is unknown, not a guess, when a resource has nothing to go on', () => {
    const e = estimateRto(automatic, [], noDefault);
    expect(e).toMatchObject({ seconds: null, withinRto: null });
    expect(e.resources[0]).toMatchObject({ seconds: null, basis: 'none' });
  });

  it('says when the estimate is over the RTO', () => {
    const e = estimateRto(automatic, [seen('aws:rds:db', automatic.rtoSeconds)], noDefault);
    expect(e.withinRto).toBe(false);
  });
});
