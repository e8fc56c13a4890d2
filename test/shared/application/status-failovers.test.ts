import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { buildStatus, failoverStatus } from '#shared/application/status.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan, restore, run, start } from '../../support/failovers.ts';
import { loadPlan } from '../../support/plans.ts';

const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:dr-approvals';
const pending = (name: string, label: string, kind: string, status = 'pending') => ({
  name,
  label,
  kind,
  status,
  jobId: null,
  startedAt: null,
  endedAt: null,
});

describe('buildStatus, failovers and notifications', () => {
  it('shows the failover in flight with its override, the earlier one, and each notification without tokens', async () => {
    const w = engineWorld({ ages: { 'case-db': 7200 } });
    const c = w.controller();
    const plan = approvalPlan();
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    w.clock.advance(60);
    await requestFailover(
      c,
      plan,
      { kind: 'manual', ref: 'cli', eventId: 'e2' },
      { by: 'oncall', reason: 'outage', accept: ['fresh-backups'] },
    );
    const app = (await buildStatus([plan], { inventory: w.inventory, clock: w.clock, controller: c }))
      .apps[0]!;

    expect(app.failover).toMatchObject({
      id: 'f2',
      phase: 'awaiting-approval',
      trigger: 'cli',
      startedAt: '2026-11-21T12:01:00.000Z',
      endedAt: null,
      reason: null,
      override: { by: 'oncall', reason: 'outage', accepted: ['fresh-backups'] },
    });
    expect(app.failover!.history.map((h) => h.phase)).toEqual(['awaiting-approval']);
    expect(app.earlierFailovers.map((f) => [f.id, f.phase, f.trigger, f.endedAt, 'override' in f])).toEqual([
      ['f1', 'aborted', 'arn:alarm', '2026-11-21T12:00:00.000Z', false],
    ]);
    expect(app.earlierFailovers[0]!.reason).toMatch(/^stale backups/);
    expect(app.notifications).toEqual([
      {
        channel: 'sns',
        target: TOPIC,
        kind: 'failover-refused',
        at: '2026-11-21T12:00:00.000Z',
        failoverId: 'f1',
        expiresAt: '2026-11-21T12:30:00.000Z',
        text: expect.stringMatching(
          /^Failover of case-management to eu-central-1 was REFUSED: stale backups/,
        ),
        delivered: true,
      },
      {
        channel: 'sns',
        target: TOPIC,
        kind: 'approval-request',
        at: '2026-11-21T12:01:00.000Z',
        failoverId: 'f2',
        expiresAt: '2026-11-21T12:31:00.000Z',
        text: expect.stringMatching(/^Fail over case-management to eu-central-1\? Triggered by cli\./),
        delivered: true,
      },
    ]);
    const request = w.notifier.sent.find((n) => n.kind === 'approval-request')!;
    expect(JSON.stringify(app)).not.toContain(request.approveToken!);
  });

  it('shows each step by name and label, with the job and times of a running restore', async () => {
    const w = engineWorld();
    const c = w.controller();
    const plan = loadPlan();
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    await advanceFailover(c, plan);
    const app = (await buildStatus([plan], { inventory: w.inventory, clock: w.clock, controller: c }))
      .apps[0]!;
    expect(app.failover!.steps).toEqual([
      {
        ...pending('restore:case-db', 'restore:case-db', 'restore', 'running'),
        jobId: 'job-1',
        startedAt: '2026-11-21T12:00:00.000Z',
      },
      pending('restore:case-api', 'restore:case-api', 'restore'),
      pending('validate:1', 'validate https://case-api.dr.example.com/internal/health', 'validate'),
      pending('switch', 'switch', 'switch'),
    ]);
    expect(app.earlierFailovers).toEqual([]);
    expect(app.failover).not.toHaveProperty('override');
  });
});

describe('failoverStatus', () => {
  it('gives finished steps their end time', () => {
    const f = run(start(), ...restore('restore:case-db', 'j-db', 1, 600));
    expect(failoverStatus(f).steps[0]).toEqual({
      name: 'restore:case-db',
      label: 'restore:case-db',
      kind: 'restore',
      status: 'succeeded',
      jobId: 'j-db',
      startedAt: '2026-11-21T12:00:01.000Z',
      endedAt: '2026-11-21T12:10:00.000Z',
    });
  });
});
