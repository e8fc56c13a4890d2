/**
 * The effect of each failover command (run-effect.ts), on scripted ports: the event each outcome is
 * recorded as (scoped to its failover, step and job), the fence checked right before each call that
 * acts on a cloud, and cloud failures returned as facts, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '#shared/application/lease.ts';
import { type Fence, runEffect } from '#shared/application/run-effect.ts';
import type { Failover } from '#shared/domain/failover.ts';
import type { Command } from '#shared/domain/failover-commands.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type {
  ActiveSite,
  DeleteOutcome,
  ProbeResult,
  RestoredResourceCleaner,
  RestoreJobStatus,
} from '#shared/ports/recovery-actions.ts';
import { at, F1, probed, probeRequested, restored, run, start, t0 } from '../../support/failovers.ts';
import { FakeProber, FakeRestores } from '../../support/fake-ports.ts';

const DB = { step: 'restore:case-db', resource: 'case-db' } as const;
const at0 = new Date(t0);

/** Records the order of fence checks and cloud calls; the fence throws once `lost`. */
function journal() {
  const calls: string[] = [];
  let lost = false;
  const fence: Fence = async () => {
    calls.push('fence');
    if (lost) throw new LeaseLostError('failover/case-management', 1, 'superseded');
  };
  return { calls, fence, lose: () => (lost = true) };
}

/** A scripted answer, or a failure when the script holds an Error (or a non-Error value). */
const answer = async <T>(value: T | Error | { thrown: unknown }): Promise<T> => {
  if (value instanceof Error) throw value;
  if (typeof value === 'object' && value !== null && 'thrown' in value) throw value.thrown;
  return value as T;
};

function ports(
  script: {
    describe?: RestoreJobStatus | Error;
    probe?: ProbeResult | Error | { thrown: unknown };
    sites?: (ActiveSite | Error)[];
    switchTo?: Error;
    deleted?: DeleteOutcome | Error | { thrown: unknown };
    cleaner?: false;
  } = {},
  calls: string[] = [],
) {
  const clock = new ManualClock(t0);
  const restores = new FakeRestores(clock);
  const sites = [...(script.sites ?? [])];
  const cleaner: RestoredResourceCleaner = {
    delete: async (resource: ProtectedResource, created: string) => {
      calls.push(`delete ${resource.name} ${created}`);
      return answer(script.deleted ?? { state: 'deleted', detail: `deleted ${created}` });
    },
  };
  return {
    clock,
    restores: Object.assign(restores, {
      describe: async (resource: ProtectedResource, jobId: string) => {
        calls.push(`describe ${resource?.name ?? '(no resource)'} ${jobId}`);
        return answer(script.describe ?? { state: 'running' });
      },
    }),
    prober: Object.assign(new FakeProber(), {
      probe: async (p: { url: string }) => {
        calls.push(`probe ${p.url}`);
        return answer(script.probe ?? { ok: true, detail: 'GET → 200' });
      },
    }),
    traffic: {
      activeSite: async (_plan: RecoveryPlan) => {
        calls.push('read');
        return answer(sites.shift() ?? 'primary');
      },
      switchTo: async (_plan: RecoveryPlan, site: string) => {
        calls.push(`switch ${site}`);
        if (script.switchTo) throw script.switchTo;
      },
    },
    ...(script.cleaner === false ? {} : { cleaner }),
  };
}

describe('start-restore', () => {
  const command = (resource = 'case-db'): Command => ({
    type: 'start-restore',
    step: `restore:${resource}`,
    resource,
    recoveryPoint: 'rp-db',
    idempotencyToken: `f1-${resource}`,
  });

  it('checks the fence, then starts the job with the point and the failover’s token; the same token gets the same job', async () => {
    const j = journal();
    const p = ports();
    const first = await runEffect(command(), start(), p, j.fence);
    expect(first).toEqual({ type: 'restore-started', ...F1, step: DB.step, jobId: 'job-1', at: at0 });
    expect(p.restores.calls).toEqual([
      { resource: start().plan.resources[0], recoveryPointId: 'rp-db', idempotencyToken: 'f1-case-db' },
    ]);
    expect(j.calls).toEqual(['fence']);
    expect(await runEffect(command(), start(), p, j.fence)).toMatchObject({ jobId: 'job-1' });
    expect(p.restores.created).toBe(1);
  });

  it('starts nothing when the fence says the lease is lost, and lets that through', async () => {
    const j = journal();
    j.lose();
    const p = ports();
    await expect(runEffect(command(), start(), p, j.fence)).rejects.toThrow(LeaseLostError);
    expect(p.restores.calls).toEqual([]);
  });

  it('records a refused start as a failed start, with the provider’s words', async () => {
    const p = ports();
    p.restores.start = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    expect(await runEffect(command(), start(), p)).toEqual({
      type: 'restore-start-failed',
      ...F1,
      step: DB.step,
      at: at0,
      reason: 'ThrottlingException: Rate exceeded',
    });
    p.restores.start = async () => Promise.reject('socket hang up');
    expect(await runEffect(command(), start(), p)).toMatchObject({ reason: 'socket hang up' });
  });

  it('fails the start of a resource the stored plan does not have, calling nothing', async () => {
    const j = journal();
    const p = ports();
    expect(await runEffect(command('case-gone'), start(), p, j.fence)).toEqual({
      type: 'restore-start-failed',
      ...F1,
      step: 'restore:case-gone',
      at: at0,
      reason: 'case-gone is not in the plan',
    });
    expect([j.calls, p.restores.calls]).toEqual([[], []]);
  });
});

describe('check-restore', () => {
  const command = (resource = 'case-db'): Command => ({
    type: 'check-restore',
    step: `restore:${resource}`,
    resource,
    jobId: 'job-7',
  });
  const scope = { ...F1, step: DB.step, jobId: 'job-7', at: at0 };
  const rows: [string, RestoreJobStatus | Error, unknown][] = [
    ['a job still running', { state: 'running' }, undefined],
    ['a poll that failed (the job’s own end decides)', new Error('AccessDenied'), undefined],
    [
      'a job that created a resource',
      {
        state: 'succeeded',
        createdResource: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-dr',
        message: 'ok',
      },
      {
        type: 'restore-succeeded',
        ...scope,
        createdResource: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-dr',
        detail: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-dr',
      },
    ],
    [
      'a job that succeeded with a message only',
      { state: 'succeeded', message: 'COMPLETED' },
      { type: 'restore-succeeded', ...scope, detail: 'COMPLETED' },
    ],
    [
      'a job that succeeded saying nothing',
      { state: 'succeeded' },
      { type: 'restore-succeeded', ...scope, detail: 'completed' },
    ],
    [
      'a job that failed',
      { state: 'failed', message: 'snapshot corrupt' },
      { type: 'restore-failed', ...scope, reason: 'snapshot corrupt' },
    ],
    [
      'a job that failed saying nothing',
      { state: 'failed' },
      { type: 'restore-failed', ...scope, reason: 'the restore job failed' },
    ],
  ];
  it.each(rows)('records %s', async (_name, status, expected) => {
    const calls: string[] = [];
    const event = await runEffect(command(), start(), ports({ describe: status }, calls));
    expect(event).toStrictEqual(expected);
    expect(calls).toEqual(['describe case-db job-7']);
  });

  it('asks nothing about a resource the stored plan does not have', async () => {
    const calls: string[] = [];
    expect(
      await runEffect(command('case-gone'), start(), ports({ describe: { state: 'failed' } }, calls)),
    ).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe('run-probe', () => {
  const command: Command = { type: 'run-probe', step: 'validate:1', probe: 0 };
  const URL = 'https://case-api.dr.example.com/internal/health';
  /** Validating, the probe asked for (its first attempt). */
  const asked = () => run(restored(start()), probeRequested(1300));
  const scope = { ...F1, step: 'validate:1', at: at0 };

  it('runs the plan’s probe and records its pass with what it saw', async () => {
    const calls: string[] = [];
    expect(
      await runEffect(command, asked(), ports({ probe: { ok: true, detail: 'GET → 200' } }, calls)),
    ).toStrictEqual({
      type: 'probe-passed',
      ...scope,
      detail: 'GET → 200',
    });
    expect(calls).toEqual([`probe ${URL}`]);
  });

  it('records a failed probe with the attempt it was observed in', async () => {
    expect(
      await runEffect(command, asked(), ports({ probe: { ok: false, detail: 'GET → 503' } })),
    ).toStrictEqual({
      type: 'probe-failed',
      ...scope,
      reason: 'GET → 503',
      attempt: 1,
    });
  });

  it('records a probe that threw as failed, with its message', async () => {
    expect(await runEffect(command, asked(), ports({ probe: new Error('ECONNREFUSED') }))).toMatchObject({
      type: 'probe-failed',
      reason: 'ECONNREFUSED',
    });
    expect(await runEffect(command, asked(), ports({ probe: { thrown: 'timeout' } }))).toMatchObject({
      reason: 'timeout',
    });
  });

  it('names no attempt for a probe never asked for', async () => {
    expect(
      await runEffect(command, restored(start()), ports({ probe: { ok: false, detail: 'GET → 503' } })),
    ).toStrictEqual({
      type: 'probe-failed',
      ...scope,
      reason: 'GET → 503',
    });
  });

  it('fails a probe the stored plan does not have, calling nothing', async () => {
    const calls: string[] = [];
    expect(await runEffect({ ...command, probe: 3 }, asked(), ports({}, calls))).toStrictEqual({
      type: 'probe-failed',
      ...scope,
      reason: 'probe not in the plan',
    });
    expect(calls).toEqual([]);
  });
});

describe('switch-traffic', () => {
  const command: Command = { type: 'switch-traffic' };
  /** Switching, the switch on its second attempt. */
  const second = () =>
    run(
      probed(restored(start())),
      { type: 'switch-requested', ...F1, at: at(1301) },
      { type: 'switch-failed', ...F1, at: at(1301), reason: 'x', attempt: 1 },
      { type: 'switch-requested', ...F1, at: at(1312) },
    );
  const scope = { ...F1, at: at0 };
  const rows: [string, { sites: (ActiveSite | Error)[]; switchTo?: Error }, string[], unknown][] = [
    [
      'traffic already on the recovery site: nothing switched',
      { sites: ['recovery'] },
      ['read'],
      { type: 'switched', ...scope, detail: 'traffic already on the recovery site (read back)' },
    ],
    [
      'the primary active: the fence, then the switch',
      { sites: ['primary'] },
      ['read', 'fence', 'switch recovery'],
      { type: 'switched', ...scope, detail: 'traffic switched to the recovery site' },
    ],
    [
      'routing that cannot be read: switched all the same (idempotent)',
      { sites: [new Error('503')] },
      ['read', 'fence', 'switch recovery'],
      { type: 'switched', ...scope, detail: 'traffic switched to the recovery site' },
    ],
    [
      'a failed call after which the routing reads recovery: switched, reply lost',
      { sites: ['primary', 'recovery'], switchTo: new Error('500 InternalError') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switched', ...scope, detail: 'switched; the call reported: 500 InternalError' },
    ],
    [
      'a failed call after which the routing reads primary: failed, in its attempt',
      { sites: ['primary', 'primary'], switchTo: new Error('AccessDenied') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switch-failed', ...scope, attempt: 2, reason: 'AccessDenied' },
    ],
    [
      'a failed call after which the routing cannot be read: unknown, in its attempt',
      { sites: ['primary', new Error('503')], switchTo: new Error('timeout') },
      ['read', 'fence', 'switch recovery', 'read'],
      { type: 'switch-unknown', ...scope, attempt: 2, reason: 'timeout' },
    ],
  ];
  it.each(rows)('records %s', async (_name, script, order, expected) => {
    const j = journal();
    expect(await runEffect(command, second(), ports(script, j.calls), j.fence)).toStrictEqual(expected);
    expect(j.calls).toEqual(order);
  });

  it('names no attempt for a switch never asked for', async () => {
    const event = await runEffect(
      command,
      probed(restored(start())),
      ports({ sites: ['primary', 'primary'], switchTo: new Error('AccessDenied') }),
    );
    expect(event).toStrictEqual({ type: 'switch-failed', ...scope, reason: 'AccessDenied' });
  });

  it('switches nothing when the fence says the lease is lost', async () => {
    const j = journal();
    j.lose();
    await expect(
      runEffect(command, second(), ports({ sites: ['primary'] }, j.calls), j.fence),
    ).rejects.toThrow(LeaseLostError);
    expect(j.calls).toEqual(['read', 'fence']);
  });
});

describe('delete-restored', () => {
  const CREATED = 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill';
  const command = (createdResource: string | null = CREATED, resource = 'case-db'): Command => ({
    type: 'delete-restored',
    step: `teardown:${resource}`,
    resource,
    createdResource,
  });
  const scope = { ...F1, step: 'teardown:case-db', at: at0 };
  const rows: [string, Command, Parameters<typeof ports>[0], string[], unknown][] = [
    [
      'a resource gone: torn down',
      command(),
      { deleted: { state: 'deleted', detail: 'DeleteDBInstance; gone' } },
      [`delete case-db ${CREATED}`],
      { type: 'torn-down', ...scope, detail: 'DeleteDBInstance; gone' },
    ],
    [
      'a delete still in progress: waiting',
      command(),
      { deleted: { state: 'deleting', detail: 'DBInstanceStatus deleting' } },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-waiting', ...scope, detail: 'DBInstanceStatus deleting' },
    ],
    [
      'a refused delete: failed, with the provider’s words',
      command(),
      { deleted: new Error('AccessDenied deleting it') },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-failed', ...scope, reason: 'AccessDenied deleting it' },
    ],
    [
      'a delete that threw a non-Error',
      command(),
      { deleted: { thrown: 'socket hang up' } },
      [`delete case-db ${CREATED}`],
      { type: 'teardown-failed', ...scope, reason: 'socket hang up' },
    ],
    [
      'a restore that reported nothing created: failed, for a human, deleting nothing',
      command(null),
      {},
      [],
      {
        type: 'teardown-failed',
        ...scope,
        reason: 'the restore of case-db reported no created resource; find and delete it by hand',
      },
    ],
    [
      'a resource the stored plan does not have: failed, deleting nothing',
      command(CREATED, 'case-gone'),
      {},
      [],
      {
        type: 'teardown-failed',
        ...scope,
        step: 'teardown:case-gone',
        reason: 'case-gone is not in the plan',
      },
    ],
    [
      'no clean-up adapter: failed, naming it',
      command(),
      { cleaner: false },
      [],
      { type: 'teardown-failed', ...scope, reason: 'no clean-up adapter is configured' },
    ],
  ];
  it.each(rows)('records %s', async (_name, c, script, calls, expected) => {
    const seen: string[] = [];
    const drill: Failover = { ...start(), purpose: 'drill' };
    expect(await runEffect(c, drill, ports(script, seen))).toStrictEqual(expected);
    expect(seen).toEqual(calls);
  });
});
