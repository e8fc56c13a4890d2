/**
 * The effect of each failover command (run-effect.ts), on scripted ports: the event each outcome is
 * recorded as (scoped to its failover, step and job), the fence checked right before each call that
 * acts on a cloud, and cloud failures returned as facts, never thrown. Restores and probes here; the
 * switch and the drill delete in run-effect.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { LeaseLostError } from '#shared/application/lease.ts';
import { runEffect } from '#shared/application/run-effect.ts';
import type { Command } from '#shared/domain/failover-commands.ts';
import type { RestoreJobStatus } from '#shared/ports/recovery-actions.ts';
import { F1, probeRequested, restored, run, start, t0 } from '../../support/failovers.ts';
import { journal, ports } from '../../support/scripted-ports.ts';

const DB = { step: 'restore:case-db', resource: 'case-db' } as const;
const at0 = new Date(t0);

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
