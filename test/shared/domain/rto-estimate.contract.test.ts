/**
 * The RTO estimate, stated with explicit figures: which restores count (succeeded restores only, never
 * a probe or a teardown), how each resource's type is named, how waves add up, and the boundary of the
 * objective.
 */
import { describe, expect, it } from 'vitest';
import type { Failover } from '#shared/domain/failover.ts';
import {
  estimateRto,
  type RestoreObservation,
  restoreObservations,
  restoreTypeOf,
} from '#shared/domain/rto-estimate.ts';
import {
  at,
  automatic,
  F1,
  independent,
  inPhase,
  probed,
  restore,
  restored,
  run,
  start,
  startDrill,
} from '../../support/failovers.ts';
import { awsPlanDoc, ids, loadPlan, withPlan } from '../../support/plans.ts';

const TABLE = 'arn:aws:dynamodb:eu-west-1:111122223333:table/case-api';
/** The test plan (case-db in wave 1, case-api after it in wave 2), case-api a DynamoDB table. */
const mixed = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    (d.spec.resources as { awsBackup: Record<string, unknown> }[])[1]!.awsBackup['resourceArn'] = TABLE;
  }),
);
const seen = (type: string, seconds: number, resource = 'r', app = 'other-app'): RestoreObservation => ({
  type,
  app,
  resource,
  seconds,
  endedAt: '2026-11-20T10:00:00.000Z',
});
const noDefault = () => undefined;
const withSource = (source: unknown) =>
  ({ ...automatic.resources[0]!, source }) as (typeof automatic.resources)[0];

describe('restoreTypeOf, beyond well-formed ARNs', () => {
  it.each([
    ['an ARN without a resource part', 'arn:aws:rds:eu-west-1:111122223333', 'aws:rds'],
    ['an ARN with an empty resource part', 'arn:aws:s3:::', 'aws:s3'],
    ['text that is no ARN', 'case-db', 'aws:?'],
  ])('names %s by service alone', (_case, resourceArn, type) => {
    expect(restoreTypeOf(withSource({ kind: 'aws-backup', resourceArn, vaultArn: ids.vault }))).toBe(type);
  });

  it('names a Recovery Services item by its backup service', () => {
    expect(
      restoreTypeOf(withSource({ kind: 'azure-recovery-services', protectedItemId: ids.protectedItem })),
    ).toBe('azure:recoveryservices');
  });
});

describe('restoreObservations: what counts', () => {
  it('types each restore by its own resource in the stored plan', () => {
    expect(restoreObservations([restored(start(mixed))]).map((o) => [o.resource, o.type])).toEqual([
      ['case-db', 'aws:rds:db'],
      ['case-api', 'aws:dynamodb:table'],
    ]);
  });

  it('counts neither a passed probe nor a finished teardown of a drill, only its restores', () => {
    const drill = probed(restored(startDrill()));
    const tornDown: Failover = {
      ...drill,
      steps: drill.steps.map((s) =>
        s.kind === 'teardown'
          ? { ...s, status: 'succeeded', startedAt: at(1400).toISOString(), endedAt: at(1500).toISOString() }
          : s,
      ),
    };
    expect(tornDown.steps.map((s) => [s.kind, s.status])).toEqual([
      ['restore', 'succeeded'],
      ['restore', 'succeeded'],
      ['validate', 'succeeded'],
      ['teardown', 'succeeded'],
      ['teardown', 'succeeded'],
    ]);
    expect(restoreObservations([tornDown]).map((o) => o.resource)).toEqual(['case-db', 'case-api']);
  });

  it('does not count a restore that failed, though it started and ended', () => {
    const failed = inPhase.failed;
    expect(failed.steps[0]).toMatchObject({
      status: 'failed',
      startedAt: expect.any(String),
      endedAt: expect.any(String),
    });
    expect(restoreObservations([failed])).toEqual([]);
  });

  it('counts the succeeded restore of a failover that ended failed', () => {
    const f = run(start(), ...restore('restore:case-db', 'j-db', 1, 301), {
      type: 'restore-requested',
      ...F1,
      step: 'restore:case-api',
      at: at(302),
    });
    expect(restoreObservations([f]).map((o) => [o.resource, o.seconds])).toEqual([['case-db', 300]]);
  });

  it('skips a restore of a resource its stored plan does not name, without throwing', () => {
    const f = restored(start());
    const trimmed: Failover = { ...f, plan: { ...f.plan, resources: [f.plan.resources[1]!] } };
    expect(restoreObservations([trimmed]).map((o) => o.resource)).toEqual(['case-api']);
  });
});

describe('estimateRto: how the waves add up', () => {
  it('adds the longest restore of each wave, each of its own type', () => {
    // wave 1: case-db (rds, 700 s); wave 2: case-api (dynamodb, 2000 s).
    const e = estimateRto(mixed, [seen('aws:rds:db', 700), seen('aws:dynamodb:table', 2000)], noDefault);
    expect(e.resources.map((r) => [r.resource, r.type, r.wave, r.seconds])).toEqual([
      ['case-db', 'aws:rds:db', 1, 700],
      ['case-api', 'aws:dynamodb:table', 2, 2000],
    ]);
    expect(e).toEqual({
      seconds: 2700,
      rtoSeconds: 3600,
      withinRto: true,
      resources: e.resources,
      basis:
        'restore waves in dependency order, each as long as its longest restore; validation and the switch not counted',
    });
  });

  it('counts a wave of parallel restores once, as long as its longest', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        const [db, api] = d.spec.resources as { awsBackup: Record<string, unknown>; dependsOn?: string[] }[];
        delete api!.dependsOn;
        db!.awsBackup['resourceArn'] = 'arn:aws:rds:eu-west-1:111122223333:cluster:case-db';
        api!.awsBackup['resourceArn'] = TABLE;
      }),
    );
    const e = estimateRto(plan, [seen('aws:rds:cluster', 900), seen('aws:dynamodb:table', 400)], noDefault);
    expect(e.resources.map((r) => [r.resource, r.wave, r.seconds])).toEqual([
      ['case-db', 1, 900],
      ['case-api', 1, 400],
    ]);
    expect(e.seconds).toBe(900);
  });

  it('is unknown when one wave is known and another is not', () => {
    const e = estimateRto(mixed, [seen('aws:rds:db', 700)], noDefault);
    expect(e).toMatchObject({ seconds: null, withinRto: null });
    expect(e.resources[1]).toEqual({
      resource: 'case-api',
      type: 'aws:dynamodb:table',
      wave: 2,
      seconds: null,
      basis: 'none',
      detail: 'no aws:dynamodb:table restore seen and no default: a drill measures one',
    });
  });

  it('is unknown when one restore of a parallel wave has nothing to go on', () => {
    const plan: typeof independent = {
      ...independent,
      resources: independent.resources.map((r, i) =>
        i === 2 && r.source.kind === 'aws-backup' ? { ...r, source: { ...r.source, resourceArn: TABLE } } : r,
      ),
    };
    const e = estimateRto(plan, [seen('aws:rds:db', 700)], noDefault);
    expect(e.resources.map((r) => [r.wave, r.seconds])).toEqual([
      [1, 700],
      [1, 700],
      [1, null],
    ]);
    expect(e.seconds).toBeNull();
  });

  it('is within the RTO at exactly the RTO', () => {
    const e = estimateRto(mixed, [seen('aws:rds:db', 1600), seen('aws:dynamodb:table', 2000)], noDefault);
    expect(e).toMatchObject({ seconds: 3600, rtoSeconds: 3600, withinRto: true });
  });

  it('takes the longest restore seen of the type, wherever it is listed, and names it', () => {
    const e = estimateRto(
      mixed,
      [seen('aws:rds:db', 1500, 'pay-db', 'payments'), seen('aws:rds:db', 700), seen('aws:rds:db', 900)],
      () => ({ seconds: 60, basis: 'default' }),
    );
    expect(e.resources[0]).toMatchObject({
      seconds: 1500,
      basis: 'seen',
      detail: 'longest of 3 aws:rds:db restore(s) seen (payments/pay-db, ended 2026-11-20T10:00:00.000Z)',
    });
  });
});
