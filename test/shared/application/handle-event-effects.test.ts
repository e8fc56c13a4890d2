import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { normalizeEvents } from '#shared/domain/events.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { EventPublisher, OutboundEvent } from '#shared/ports/event-publisher.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, ids, loadPlan, withPlan } from '../../support/plans.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/aws');
const load = (name: string): Record<string, unknown> & { detail: Record<string, unknown> } =>
  JSON.parse(readFileSync(resolve(fixtures, name), 'utf8'));
const DB_ARN = `arn:aws:rds:eu-west-1:${ids.account}:db:case-db`;
const manual = (eventId: string) => ({ kind: 'manual', ref: 'cli', eventId }) as const;

const schedule = {
  version: '0',
  id: 'e5e8a2b1-0000-4000-8000-000000000001',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: ids.account,
  time: '2026-11-21T12:00:00Z',
  region: 'eu-central-1',
  resources: [`arn:aws:events:eu-central-1:${ids.account}:rule/standby-audit`],
  detail: {},
};
const withDetail = (name: string, detail: Record<string, unknown>) => {
  const e = load(name);
  return { ...e, detail: { ...e.detail, ...detail } };
};
const backupJob = (state: string) =>
  withDetail('backup-job-state-change-failed.json', {
    resourceArn: DB_ARN,
    backupVaultArn: ids.vault,
    state,
    resourceType: 'RDS',
  });
const restoreJob = (jobId: string, status: string, detail: Record<string, unknown> = {}) =>
  withDetail('restore-job-state-change-completed.json', {
    restoreJobId: jobId,
    sourceResourceArn: DB_ARN,
    backupVaultArn: ids.vault,
    status,
    ...detail,
  });

class RecordingPublisher implements EventPublisher {
  readonly sent: OutboundEvent[] = [];
  async publish(events: readonly OutboundEvent[]) {
    this.sent.push(...events);
  }
}

function world(
  ages: Record<string, number | 'missing' | 'error'> = {},
  plans: RecoveryPlan[] = [loadPlan()],
) {
  const w = engineWorld({ ages });
  const controller = w.controller();
  return { ...w, c: controller, plans, deps: { plans, controller } };
}

describe('handleEvent: schedules audit every plan', () => {
  it('says every application is fresh, and records the audit on each chain', async () => {
    const w = world();
    expect(await handleEvent(schedule, w.deps)).toEqual([
      {
        accepted: true,
        source: 'aws.events',
        kind: 'schedule',
        app: null,
        effect: 'freshness-updated',
        reason: 'audit of 1 application(s): all fresh',
      },
    ]);
    expect((await readChain(w.store, 'case-management')).map((r) => r.value.kind)).toEqual(['audit']);
  });

  it('alerts without publishing anything when the controller has no publisher', async () => {
    const w = world({ 'case-db': 7200 });
    expect((await handleEvent(schedule, w.deps))[0]!.effect).toBe('freshness-alert');
  });

  it('names each resource that alerts, and publishes the breach when the controller has a publisher', async () => {
    const w = world({ 'case-db': 7200, 'case-api': 'missing' });
    const publisher = new RecordingPublisher();
    const deps = { ...w.deps, controller: { ...w.c, events: publisher } };
    const [outcome] = await handleEvent(schedule, deps);
    expect(outcome).toMatchObject({
      effect: 'freshness-alert',
      reason: 'audit found: case-management/case-db breach, case-management/case-api missing',
    });
    expect(publisher.sent.map((e) => e.detailType)).toEqual(['Standby Freshness Breach']);
  });
});

describe('handleEvent: backup, copy, point and vault events re-audit what they concern', () => {
  it('re-audits the resource a backup job names and says it is fresh', async () => {
    const w = world();
    expect(await handleEvent(backupJob('COMPLETED'), w.deps)).toMatchObject([
      {
        accepted: true,
        kind: 'backup-job',
        app: 'case-management',
        effect: 'freshness-updated',
        reason: 'case-db ok',
      },
    ]);
  });

  it('names the resource it concerns that alerts, with why', async () => {
    const w = world({ 'case-db': 7200 });
    const [outcome] = await handleEvent(backupJob('FAILED'), w.deps);
    expect(outcome).toMatchObject({ effect: 'freshness-alert' });
    expect(outcome!.reason).toMatch(/^case-management\/case-db breach: newest restorable point is 2h 0m old/);
    expect(outcome!.reason).not.toContain('case-api');
  });

  it('answers for every plan the event concerns, each under its own name', async () => {
    const w = world({}, [loadPlan(), loadPlan(awsPlanDoc('billing'))]);
    expect((await handleEvent(backupJob('COMPLETED'), w.deps)).map((o) => [o.app, o.effect])).toEqual([
      ['case-management', 'freshness-updated'],
      ['billing', 'freshness-updated'],
    ]);
  });

  it('joins the alerts of several resources with a semicolon', async () => {
    const w = world({ 'case-db': 7200, 'case-api': 7200 });
    const vault = {
      ...load('backup-job-state-change-failed.json'),
      'detail-type': 'Backup Vault State Change',
      resources: [ids.vault],
      detail: { backupVaultName: 'dr-vault', backupVaultArn: ids.vault, state: 'CREATED' },
    };
    const [outcome] = await handleEvent(vault, w.deps);
    expect(outcome!.reason).toMatch(
      /^case-management\/case-db breach: .*; case-management\/case-api breach: /,
    );
  });

  it('re-audits every resource of a vault that changed', async () => {
    const w = world();
    const vault = {
      ...load('backup-job-state-change-failed.json'),
      'detail-type': 'Backup Vault State Change',
      resources: [ids.vault],
      detail: { backupVaultName: 'dr-vault', backupVaultArn: ids.vault, state: 'CREATED' },
    };
    const [outcome] = await handleEvent(vault, w.deps);
    expect(outcome).toMatchObject({
      kind: 'vault-change',
      effect: 'freshness-updated',
      reason: 'case-db ok, case-api ok',
    });
  });
});

describe('handleEvent: restore job events move the failover on', () => {
  async function restoring() {
    const w = world();
    const plan = w.plans[0]!;
    await requestFailover(w.c, plan, manual('m1'));
    await advanceFailover(w.c, plan);
    return { ...w, plan };
  }

  it('records a failed job on its step, with the job’s own message', async () => {
    const w = await restoring();
    const [outcome] = await handleEvent(
      restoreJob('job-1', 'FAILED', { statusMessage: 'snapshot is gone' }),
      w.deps,
    );
    expect(outcome).toMatchObject({
      effect: 'restore-progress',
      reason: 'restore job job-1 ended FAILED',
      failoverId: 'f1',
    });
    const step = (await readAppState(w.store, 'case-management')).failover!.steps[0]!;
    expect(step).toMatchObject({ status: 'failed', detail: 'snapshot is gone' });
  });

  it('ends a completed job with what it created, and says so once more when redelivered', async () => {
    const w = await restoring();
    const completed = restoreJob('job-1', 'COMPLETED', {
      statusMessage: undefined,
      createdResourceArn: 'arn:aws:rds:eu-central-1:1:db:case-db-dr',
    });
    expect((await handleEvent(completed, w.deps))[0]!.reason).toBe('restore job job-1 ended COMPLETED');
    const step = (await readAppState(w.store, 'case-management')).failover!.steps[0]!;
    // Without a status message, the job's end is described by what it created.
    expect(step).toMatchObject({
      status: 'succeeded',
      createdResource: 'arn:aws:rds:eu-central-1:1:db:case-db-dr',
      detail: 'arn:aws:rds:eu-central-1:1:db:case-db-dr',
    });
    expect((await handleEvent(completed, w.deps))[0]).toMatchObject({
      effect: 'restore-progress',
      reason: 'restore job job-1 ended COMPLETED (already recorded)',
    });
  });

  it('takes a job still running as progress, and an ABORTED job as its step’s failure', async () => {
    const w = await restoring();
    expect((await handleEvent(restoreJob('job-1', 'RUNNING'), w.deps))[0]).toMatchObject({
      effect: 'restore-progress',
      reason: 'restore job job-1 is RUNNING',
      failoverId: 'f1',
    });
    expect((await readAppState(w.store, 'case-management')).failover!.steps[0]!.status).toBe('running');
    await handleEvent(restoreJob('job-1', 'ABORTED'), w.deps);
    expect((await readAppState(w.store, 'case-management')).failover!.steps[0]!.status).toBe('failed');
  });

  it('ignores a job the current failover did not start, naming it', async () => {
    const w = await restoring();
    expect((await handleEvent(restoreJob('job-77', 'COMPLETED'), w.deps))[0]).toMatchObject({
      effect: 'ignored',
      reason: 'restore job job-77 was not started by the current failover of case-management',
    });
  });

  it('leaves restore events to the controller of the recovery region', async () => {
    const w = await restoring();
    const [outcome] = await handleEvent(restoreJob('job-1', 'FAILED'), {
      ...w.deps,
      controllerRegion: 'eu-west-1',
    });
    expect(outcome).toMatchObject({ effect: 'ignored' });
    expect((await readAppState(w.store, 'case-management')).failover!.steps[0]!.status).toBe('running');
  });
});

describe('handleEvent: what is not for an application', () => {
  it('ignores an event of a source it reads but a type it does not act on, with the reason', async () => {
    const w = world();
    const [outcome] = await handleEvent({ ...schedule, 'detail-type': 'Something Else' }, w.deps);
    const other = normalizeEvents({ ...schedule, 'detail-type': 'Something Else' })[0]!;
    expect(outcome).toMatchObject({
      accepted: true,
      kind: 'other',
      app: null,
      effect: 'ignored',
      reason: other.accepted ? (other as { reason: string }).reason : 'not accepted',
    });
  });

  it('rejects a malformed input of a known source, naming the source', async () => {
    const w = world();
    expect(await handleEvent({ standby: 'approval', token: '', decision: 'approve' }, w.deps)).toMatchObject([
      { accepted: false, source: 'standby', kind: null, effect: 'rejected' },
    ]);
  });

  it('rejects what it cannot read, naming no source when there is none', async () => {
    const w = world();
    expect(await handleEvent(42, w.deps)).toMatchObject([
      { accepted: false, source: null, kind: null, effect: 'rejected' },
    ]);
  });
});

describe('handleEvent: approvals as events, by region', () => {
  it('decides here when the plan the token names fails over here, whatever the other plans', async () => {
    const approval = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = {
          mode: 'approval',
          approval: {
            notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
            timeout: '30m',
          },
        };
      }),
    );
    const elsewhere = loadPlan(
      withPlan(awsPlanDoc('billing'), (d) => {
        d.spec.recovery = { cloud: 'aws', region: 'eu-north-1' };
        for (const r of d.spec.resources as { awsBackup: { vaultArn: string } }[])
          r.awsBackup.vaultArn = r.awsBackup.vaultArn.replace('eu-central-1', 'eu-north-1');
      }),
    );
    const w = world({}, [elsewhere, approval]);
    await requestFailover(w.c, approval, manual('m1'));
    const token = w.notifier.sent.find((n) => n.kind === 'approval-request')!.approveToken!;
    const deps = { ...w.deps, controllerRegion: 'eu-central-1' };
    expect(await handleEvent({ standby: 'approval', token, decision: 'approve' }, deps)).toMatchObject([
      { app: 'case-management', effect: 'failover-started' },
    ]);
  });
});

describe('handleEvent: approvals as events', () => {
  it('decides on the plan the token names, among several, and carries the failover on', async () => {
    const approval = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = {
          mode: 'approval',
          approval: {
            notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
            timeout: '30m',
          },
        };
      }),
    );
    const w = world({}, [loadPlan(awsPlanDoc('billing')), approval]);
    await requestFailover(w.c, approval, manual('m1'));
    const token = w.notifier.sent.find((n) => n.kind === 'approval-request')!.approveToken!;
    expect(await handleEvent({ standby: 'approval', token, decision: 'approve' }, w.deps)).toMatchObject([
      { app: 'case-management', effect: 'failover-started', failoverId: 'f1' },
    ]);
    const failover = (await readAppState(w.store, 'case-management')).failover!;
    expect(failover.decision!.by).toBe(
      'the recipient of sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals (unauthenticated; says "event")',
    );
    // Carried on at once: the first restore was started.
    expect(failover.steps[0]!.status).toBe('running');
  });
});
