import { describe, expect, it } from 'vitest';
import {
  createFailover,
  type Failover,
  KEPT_FOR_INSPECTION,
  Phase,
  StepStatus,
} from '#shared/domain/failover.ts';
import {
  DEFAULT_KEEP_SECONDS,
  dueForDeletion,
  isSettled,
  type KeptRecord,
  keptRecord,
  keptUntil,
  leftBehind,
  MAX_DELETE_ATTEMPTS,
  withDeleteOutcome,
} from '#shared/domain/kept-resources.ts';
import { drillable } from '../../support/drills.ts';

const t0 = new Date('2026-11-21T12:00:00Z');
const ended = '2026-11-21T13:00:00.000Z';

/** An ended drill of the test plan whose restores created `<resource>-restored` (unless `created` says). */
function endedDrill(options: {
  keep: boolean;
  phase?: Failover['phase'];
  keepFor?: string;
  created?: Record<string, string | undefined>;
  purpose?: 'drill' | 'failover';
}): Failover {
  const plan = drillable((d) => {
    d.spec.drill = { keep: options.keep, ...(options.keepFor ? { keepFor: options.keepFor } : {}) };
  });
  const f = createFailover({
    id: 'd1',
    plan,
    trigger: { kind: 'manual', ref: 'cli', eventId: 'e' },
    at: t0,
    recoveryPoints: { 'case-db': 'rp-db', 'case-api': 'rp-api' },
    purpose: options.purpose ?? 'drill',
    keep: options.keep,
  });
  const created = options.created ?? { 'case-db': 'case-db-restored', 'case-api': 'case-api-restored' };
  return {
    ...f,
    phase: options.phase ?? Phase.Completed,
    endedAt: ended,
    steps: f.steps.map((s) =>
      s.kind === 'restore'
        ? {
            ...s,
            status: StepStatus.Succeeded,
            ...(created[s.resource] ? { createdResource: created[s.resource] } : {}),
          }
        : s,
    ),
  };
}

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

describe('keptRecord: what an ended drill kept, and until when', () => {
  it.each([
    ['a completed drill, default keepFor (1d)', { keep: true }, plus(ended, DEFAULT_KEEP_SECONDS)],
    ['a completed drill, keepFor 3h', { keep: true, keepFor: '3h' }, plus(ended, 3 * 3600)],
    ['a failed drill keeps for inspection too', { keep: true, phase: Phase.Failed }, plus(ended, 86_400)],
    ['an aborted (preempted) drill expires at once', { keep: true, phase: Phase.Aborted }, ended],
  ] as const)('%s', (_name, options, expiresAt) => {
    expect(keptRecord(endedDrill(options))).toEqual({
      app: 'case-management',
      drillId: 'd1',
      drillEndedAt: ended,
      expiresAt,
      resources: [
        { resource: 'case-db', createdResource: 'case-db-restored', deletedAt: null, attempts: 0 },
        { resource: 'case-api', createdResource: 'case-api-restored', deletedAt: null, attempts: 0 },
      ],
    });
  });

  it('is 1 day by default', () => expect(DEFAULT_KEEP_SECONDS).toBe(86_400));

  it.each([
    ['a drill without keep (its teardown deletes)', endedDrill({ keep: false })],
    ['a drill still in flight', { ...endedDrill({ keep: true }), phase: Phase.Restoring, endedAt: null }],
    ['a failover', endedDrill({ keep: true, purpose: 'failover' })],
    ['a kept drill whose restores created nothing', endedDrill({ keep: true, created: {} })],
  ] as const)('is undefined for %s', (_name, drill) => {
    expect(keptRecord(drill as Failover)).toBeUndefined();
  });

  it.each([
    ['skipped for another reason', { status: StepStatus.Skipped, detail: 'its restore created nothing' }],
    ['not skipped, whatever its detail', { status: StepStatus.Failed, detail: KEPT_FOR_INSPECTION }],
  ] as const)('keeps nothing of a resource whose teardown step is %s', (_name, over) => {
    const drill = endedDrill({ keep: true });
    const changed = {
      ...drill,
      steps: drill.steps.map((s) =>
        s.kind === 'teardown' && s.resource === 'case-db' ? { ...s, ...over } : s,
      ),
    };
    expect(keptRecord(changed)?.resources.map((r) => r.resource)).toEqual(['case-api']);
  });

  it('keeps for 1 day a drill whose stored plan has no drill block', () => {
    const drill = endedDrill({ keep: true });
    const { drill: _none, ...plan } = drill.plan;
    expect(keptUntil({ ...drill, plan }, ended)).toBe(plus(ended, DEFAULT_KEEP_SECONDS));
  });

  it('lists only the resources a restore created', () => {
    const record = keptRecord(
      endedDrill({ keep: true, created: { 'case-api': 'arn:aws:rds:x:1:db:api-drill' } }),
    );
    expect(record?.resources.map((r) => r.createdResource)).toEqual(['arn:aws:rds:x:1:db:api-drill']);
  });
});

const record: KeptRecord = {
  app: 'case-management',
  drillId: 'd1',
  drillEndedAt: ended,
  expiresAt: plus(ended, 3600),
  resources: [
    { resource: 'case-db', createdResource: 'db-x', deletedAt: null, attempts: 0 },
    { resource: 'case-api', createdResource: 'api-x', deletedAt: null, attempts: 0 },
  ],
};

describe('dueForDeletion', () => {
  it('is empty before the expiry and lists every resource still there from it on', () => {
    expect(dueForDeletion(record, new Date(Date.parse(record.expiresAt) - 1))).toEqual([]);
    expect(dueForDeletion(record, new Date(record.expiresAt)).map((r) => r.createdResource)).toEqual([
      'db-x',
      'api-x',
    ]);
  });

  it('skips what was deleted and what ran out of attempts', () => {
    const r: KeptRecord = {
      ...record,
      resources: [
        { ...record.resources[0]!, deletedAt: ended, attempts: 1 },
        { ...record.resources[1]!, attempts: MAX_DELETE_ATTEMPTS },
      ],
    };
    expect(dueForDeletion(r, new Date('2030-01-01T00:00:00Z'))).toEqual([]);
    expect(MAX_DELETE_ATTEMPTS).toBe(3);
  });
});

describe('withDeleteOutcome, isSettled, leftBehind', () => {
  const at = new Date('2026-11-22T14:00:00Z');

  it('marks a deleted resource with its time and clears the last error', () => {
    const failedOnce = withDeleteOutcome(record, 'db-x', { state: 'failed', error: 'AccessDenied' }, at);
    expect(failedOnce.resources[0]).toEqual({
      resource: 'case-db',
      createdResource: 'db-x',
      deletedAt: null,
      attempts: 1,
      lastError: 'AccessDenied',
    });
    const deleted = withDeleteOutcome(failedOnce, 'db-x', { state: 'deleted' }, at);
    expect(deleted.resources[0]).toEqual({
      resource: 'case-db',
      createdResource: 'db-x',
      deletedAt: at.toISOString(),
      attempts: 2,
    });
    expect(deleted.resources[1]).toEqual(record.resources[1]);
  });

  it('costs no attempt while a delete is still in progress, and leaves it to a human after 2 h of it', () => {
    const deleting = { state: 'deleting', detail: 'deleting 2 cluster instances' } as const;
    const later = (s: number) => new Date(at.getTime() + s * 1000);
    let r = withDeleteOutcome(record, 'db-x', deleting, at);
    r = withDeleteOutcome(r, 'db-x', { state: 'failed', error: 'throttled' }, later(60));
    r = withDeleteOutcome(r, 'db-x', deleting, later(120));
    expect(r.resources[0]).toEqual({
      resource: 'case-db',
      createdResource: 'db-x',
      deletedAt: null,
      attempts: 1,
      deletingSince: at.toISOString(),
    });
    expect(isSettled({ ...r, resources: [r.resources[0]!] })).toBe(false);
    const stuck = withDeleteOutcome(r, 'db-x', deleting, later(7200));
    expect(stuck.resources[0]).toMatchObject({
      deletedAt: null,
      attempts: MAX_DELETE_ATTEMPTS,
      lastError: `still being deleted since ${at.toISOString()}: deleting 2 cluster instances`,
    });
    expect(isSettled({ ...stuck, resources: [stuck.resources[0]!] })).toBe(true);
  });

  it('is settled when every resource is deleted or out of attempts, leaving the undeleted ones', () => {
    let r = withDeleteOutcome(record, 'db-x', { state: 'deleted' }, at);
    expect(isSettled(r)).toBe(false);
    for (let i = 0; i < MAX_DELETE_ATTEMPTS - 1; i++) {
      r = withDeleteOutcome(r, 'api-x', { state: 'failed', error: 'boom' }, at);
      expect(isSettled(r)).toBe(false);
    }
    r = withDeleteOutcome(r, 'api-x', { state: 'failed', error: 'boom' }, at);
    expect(isSettled(r)).toBe(true);
    expect(leftBehind(r).map((x) => [x.createdResource, x.lastError])).toEqual([['api-x', 'boom']]);
  });
});
