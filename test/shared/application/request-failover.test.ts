import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { INITIAL_APP_STATE, readAppState } from '#shared/application/failover-repository.ts';
import { beforeGates, previewFailover, requestFailover } from '#shared/application/request-failover.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { Notification, Notifier } from '#shared/ports/notifier.ts';
import { BeatenStore } from '../../support/beaten-store.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan, start } from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const alarm = (eventId = 'e1') => ({ kind: 'alarm', ref: 'arn:alarm', eventId }) as const;
const oncall = { by: 'oncall', reason: 'outage', accept: ['fresh-backups' as const] };

describe('requestFailover, what each request says', () => {
  it('starts a failover, saying how many resources it restores where', async () => {
    const w = engineWorld();
    expect(await requestFailover(w.controller(), loadPlan(), alarm())).toEqual({
      effect: 'failover-started',
      reason: 'restoring 2 resource(s) in eu-central-1',
      failoverId: 'f1',
    });
  });

  it('asks for approval, saying from how many channels', async () => {
    const w = engineWorld();
    expect(await requestFailover(w.controller(), approvalPlan(), alarm())).toEqual({
      effect: 'approval-requested',
      reason: 'approval requested from 1 channel(s)',
      failoverId: 'f1',
    });
  });

  it('sends the approval request a first attempt left unsent when the trigger comes again', async () => {
    const w = engineWorld();
    let down = true;
    const flaky: Notifier = {
      send: async (n: Notification) => {
        if (down) throw new Error('SNS unavailable');
        return w.notifier.send(n);
      },
    };
    const c = { ...w.controller(), notifier: flaky };
    await expect(requestFailover(c, approvalPlan(), alarm('e1'))).rejects.toThrow('SNS unavailable');
    down = false;
    expect(await requestFailover(c, approvalPlan(), alarm('e1'))).toMatchObject({
      effect: 'joined-existing',
    });
    expect(w.notifier.sent.map((n) => [n.kind, n.failoverId])).toEqual([['approval-request', 'f1']]);
  });

  it('never asks for approval of a failover that ended before its request went out', async () => {
    const w = engineWorld();
    let down = true;
    const flaky: Notifier = {
      send: async (n: Notification) => {
        if (down) throw new Error('SNS unavailable');
        return w.notifier.send(n);
      },
    };
    const c = { ...w.controller(), notifier: flaky };
    await expect(requestFailover(c, approvalPlan(), alarm('e1'))).rejects.toThrow('SNS unavailable');
    w.clock.advance(31 * 60);
    await advanceFailover(c, approvalPlan());
    expect((await readAppState(w.store, 'case-management')).failover!.phase).toBe('aborted');
    down = false;
    expect((await requestFailover(c, approvalPlan(), alarm('e1'))).effect).toBe('ignored');
    expect(w.notifier.sent).toEqual([]);
  });

  it('asks no one left unasked once the failover was decided by another recipient', async () => {
    const w = engineWorld();
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = {
          mode: 'approval',
          approval: {
            notify: [
              { sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' },
              { teams: { webhookUrl: 'env:TEAMS' } },
            ],
            timeout: '30m',
          },
        };
      }),
    );
    let teamsDown = true;
    const flaky: Notifier = {
      send: async (n: Notification) => {
        if (n.channel === 'teams' && teamsDown) throw new Error('Teams unavailable');
        return w.notifier.send(n);
      },
    };
    const c = { ...w.controller(), notifier: flaky };
    await expect(requestFailover(c, plan, alarm('e1'))).rejects.toThrow('Teams unavailable');
    const token = w.notifier.sent[0]!.approveToken!;
    expect((await decideApproval(c, [plan], token, { id: 'alice', authenticated: true })).ok).toBe(true);
    teamsDown = false;
    expect((await requestFailover(c, plan, alarm('e2'))).effect).toBe('joined-existing');
    expect(w.notifier.sent.map((n) => n.channel)).toEqual(['sns']);
  });

  it('records an override only when it made the failover start', async () => {
    const stale = engineWorld({ ages: { 'case-db': 7200 } });
    await requestFailover(stale.controller(), loadPlan(), alarm(), oncall);
    expect((await readAppState(stale.store, 'case-management')).failover!.override).toEqual({
      by: 'oncall',
      reason: 'outage',
      accepted: ['fresh-backups'],
    });

    const fresh = engineWorld();
    await requestFailover(fresh.controller(), loadPlan(), alarm(), oncall);
    expect((await readAppState(fresh.store, 'case-management')).failover).not.toHaveProperty('override');

    const unreadable = engineWorld({ ages: { 'case-db': 7200, 'case-api': 'missing' } });
    expect((await requestFailover(unreadable.controller(), loadPlan(), alarm(), oncall)).effect).toBe(
      'refused',
    );
    expect((await readAppState(unreadable.store, 'case-management')).failover).not.toHaveProperty('override');
  });

  it('gives up after 8 lost claims with a conflict naming the app', async () => {
    const w = engineWorld();
    const store = new BeatenStore(w.store, 'current');
    await expect(requestFailover(w.controller('controller-a', store), loadPlan(), alarm())).rejects.toThrow(
      new ConflictError('could not claim the failover of case-management after 8 attempts'),
    );
    expect(store.writes).toBe(8);
  });
});

describe('beforeGates', () => {
  const plan = loadPlan();

  it('joins a failover in flight, naming it', () => {
    expect(beforeGates({ ...INITIAL_APP_STATE, failover: start() }, plan, alarm())).toEqual({
      effect: 'joined-existing',
      reason: 'failover f1 is already restoring',
      failoverId: 'f1',
    });
  });

  it('ignores a trigger fact already claimed, naming its failover when there is one', () => {
    const ended = { ...start(), phase: 'completed' as const };
    expect(
      beforeGates({ ...INITIAL_APP_STATE, failover: ended, handledTriggers: ['e1'] }, plan, alarm()),
    ).toEqual({
      effect: 'ignored',
      reason: 'e1 already started a failover (f1, completed); a redelivery starts none',
      failoverId: 'f1',
    });
    expect(beforeGates({ ...INITIAL_APP_STATE, handledTriggers: ['e1'] }, plan, alarm())).toEqual({
      effect: 'ignored',
      reason: 'e1 already started a failover; a redelivery starts none',
    });
  });

  it('leaves an app already on its recovery site alone', () => {
    expect(beforeGates({ ...INITIAL_APP_STATE, activeSite: 'recovery' }, plan, alarm())).toEqual({
      effect: 'ignored',
      reason: 'case-management already runs on the recovery site (eu-central-1)',
    });
  });
});

describe('previewFailover', () => {
  it('decides as a request would, with the override’s gates accepted, writing nothing', async () => {
    const w = engineWorld({ ages: { 'case-db': 7200 } });
    const c = w.controller();
    const plain = await previewFailover(c, loadPlan(), alarm());
    expect([plain.before, plain.verdict.refusal === undefined]).toEqual([undefined, false]);
    const overridden = await previewFailover(c, loadPlan(), alarm(), oncall);
    expect([overridden.verdict.refusal, overridden.verdict.overridden]).toEqual([
      undefined,
      ['fresh-backups'],
    ]);
    expect(await w.store.query('app#case-management')).toEqual([]);
  });
});
