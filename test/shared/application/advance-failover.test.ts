/**
 * advanceFailover's own contract, round by round (advance-failover.ts): the holder's token stamped
 * once, intents and results one write each, effects only under a lease still held (renewed after the
 * intents, checked again right before each cloud call), a lost race or a store failure never followed
 * by an effect, the lease given back, an expired approval settled by whether a request was delivered,
 * and the bound on rounds. The end-to-end course is in failover-engine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import {
  appKeys,
  applyEvents,
  claimFailover,
  readApp,
  readAppState,
} from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { acquireLease } from '#shared/application/lease.ts';
import type { Failover } from '#shared/domain/failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { StoredNotification } from '#shared/ports/notifier.ts';
import type { ActiveSite } from '#shared/ports/recovery-actions.ts';
import type { ItemKey, WriteOptions } from '#shared/ports/state-store.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan, automatic, probed, restored, start } from '../../support/failovers.ts';
import { FakeTraffic } from '../../support/fake-ports.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

const APP = 'case-management';
const LEASE = `failover/${APP}`;

/** An in-memory store that counts the writes of the failover item. */
class CountingStore extends InMemoryStateStore {
  writes = 0;
  override async update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions) {
    if (key.sort === 'current') this.writes += 1;
    return super.update(key, value, version, options);
  }
}

/** A world whose store lets a test act in the middle of a round; `failover` is claimed in it. */
async function interleaved(failover: Failover) {
  const w = engineWorld();
  const store = new InterleavingStore(w.store);
  await claimFailover(w.store, await readApp(w.store, APP), failover);
  /** Another controller takes the lease over, as if this one had paused past its expiry. */
  const takeOver = async () => {
    w.clock.advance(300 + 60 + 1);
    const taken = await acquireLease(w.store, {
      name: LEASE,
      owner: 'b',
      now: w.clock.now(),
      ttlSeconds: 300,
    });
    expect(taken.acquired).toBe(true);
  };
  return { ...w, store, a: w.controller('a', store), takeOver };
}

describe('advanceFailover: writes', () => {
  it('stamps its token once, then writes each round’s intents and results once, and nothing for a poll', async () => {
    const w = engineWorld();
    const store = new CountingStore();
    await claimFailover(store, await readApp(store, APP), start());
    const c = w.controller('a', store);
    // Round 1: stamp, intent (restore-requested), result (restore-started); round 2 only polls the job.
    expect(await advanceFailover(c, automatic)).toBe('waiting-for-jobs');
    expect(store.writes).toBe(3);
    expect((await readAppState(store, APP)).fencingToken).toBe(1);
    // A new holding stamps its new token; a poll of a job still running writes nothing.
    expect(await advanceFailover(c, automatic)).toBe('waiting-for-jobs');
    expect(store.writes).toBe(4);
    expect((await readAppState(store, APP)).fencingToken).toBe(2);
  });

  it('passes a store failure of the stamp on, acting on nothing, and gives the lease back', async () => {
    const w = await interleaved(start());
    w.store.at('update', 'current', 1, async () => {}, { when: 'before', fail: new Error('throttled') });
    await expect(advanceFailover(w.a, automatic)).rejects.toThrow('throttled');
    expect(w.restores.calls).toEqual([]);
    expect(await advanceFailover(w.controller('b'), automatic)).toBe('waiting-for-jobs');
  });

  it('runs no effect when another writer moved the failover between its read and its intents', async () => {
    const w = await interleaved(start());
    // Update 1 stamps the token; update 2 records the intents — an abort lands just before it.
    w.store.at(
      'update',
      'current',
      2,
      async () => {
        await applyEvents(w.store.inner, APP, [
          { type: 'abort', failoverId: 'f1', at: w.clock.now(), reason: 'operator' },
        ]);
      },
      { when: 'before' },
    );
    expect(await advanceFailover(w.a, automatic)).toBe('ended');
    expect(w.restores.calls).toEqual([]);
    expect((await readAppState(w.store, APP)).failover).toMatchObject({
      phase: 'aborted',
      reason: 'operator',
    });
  });

  it('passes a store failure of the intents on, running no effect', async () => {
    const w = await interleaved(start());
    w.store.at('update', 'current', 2, async () => {}, { when: 'before', fail: new Error('throttled') });
    await expect(advanceFailover(w.a, automatic)).rejects.toThrow('throttled');
    expect(w.restores.calls).toEqual([]);
  });
});

describe('advanceFailover: the lease', () => {
  it('acts no more once the lease was taken over before its renewal: no probe runs', async () => {
    const w = await interleaved(restored(start()));
    // Lease reads: 1 acquire, 2 renew after the intents.
    w.store.at('get', 'lease', 2, w.takeOver, { when: 'before' });
    expect(await advanceFailover(w.a, automatic)).toBe('held-elsewhere');
    expect(w.prober.calls).toEqual([]);
    expect(
      (await readAppState(w.store, APP)).failover?.steps.find((s) => s.kind === 'validate'),
    ).toMatchObject({
      status: 'running',
      attempts: 1,
    });
  });

  it('checks the lease right before a cloud call: a takeover after the renewal starts no restore', async () => {
    const w = await interleaved(start());
    // Lease reads: 1 acquire, 2 renew, 3 the check right before StartRestoreJob.
    w.store.at('get', 'lease', 3, w.takeOver, { when: 'before' });
    expect(await advanceFailover(w.a, automatic)).toBe('held-elsewhere');
    expect(w.restores.calls).toEqual([]);
  });

  it('gives the lease back when it stops, so another controller may drive at once', async () => {
    const w = engineWorld();
    await claimFailover(w.store, await readApp(w.store, APP), start());
    expect(await advanceFailover(w.controller('a'), automatic)).toBe('waiting-for-jobs');
    expect(await advanceFailover(w.controller('b'), automatic)).toBe('waiting-for-jobs');
    expect(w.restores.calls).toHaveLength(1);
  });
});

describe('advanceFailover: an expired approval request', () => {
  const request = (
    failoverId: string,
    delivered: boolean,
    kind: StoredNotification['kind'] = 'approval-request',
  ) => ({
    app: APP,
    channel: 'sns',
    target: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals',
    kind,
    at: '2026-11-21T12:00:00.000Z',
    failoverId,
    text: 'approve?',
    delivered,
  });
  const NEVER_ASKED =
    'approval timed out; onTimeout is proceed, but no approval request was ever delivered, so it does not proceed';
  const rows: [string, ReturnType<typeof request>[], string, string][] = [
    ['no request at all', [], 'aborted', NEVER_ASKED],
    ['its request delivered', [request('f1', true)], 'restoring', 'approval timed out; onTimeout is proceed'],
    ['its request not delivered', [request('f1', false)], 'aborted', NEVER_ASKED],
    [
      'one of its two requests delivered',
      [request('f1', false), request('f1', true)],
      'restoring',
      'approval timed out; onTimeout is proceed',
    ],
    ['only an earlier failover’s request delivered', [request('f0', true)], 'aborted', NEVER_ASKED],
    ['only another notice of it delivered', [request('f1', true, 'failover-ended')], 'aborted', NEVER_ASKED],
  ];
  it.each(rows)('with onTimeout proceed and %s', async (_name, notices, phase, reason) => {
    const w = engineWorld();
    const plan = approvalPlan('proceed');
    await claimFailover(w.store, await readApp(w.store, APP), start(plan));
    for (const [i, n] of notices.entries())
      await w.store.create(appKeys.notification(APP, n.at, n.failoverId, i), n);
    w.clock.advance(30 * 60);
    await advanceFailover(w.controller(), plan);
    const f = (await readAppState(w.store, APP)).failover!;
    expect({ phase: f.phase, reason: f.history[1]?.reason }).toEqual({ phase, reason });
  });

  it('waits for a decision until the request expires', async () => {
    const w = engineWorld();
    const plan = approvalPlan('proceed');
    await claimFailover(w.store, await readApp(w.store, APP), start(plan));
    w.clock.advance(30 * 60 - 1);
    expect(await advanceFailover(w.controller(), plan)).toBe('waiting-for-approval');
    expect((await readAppState(w.store, APP)).failover?.phase).toBe('awaiting-approval');
  });
});

/** Routing that can never be read, and whose switch call always fails. */
class UnreadableTraffic extends FakeTraffic {
  calls = 0;
  override async activeSite(_plan: RecoveryPlan): Promise<ActiveSite> {
    throw new Error('route53:ListResourceRecordSets: 503');
  }
  override async switchTo(): Promise<void> {
    this.calls += 1;
    throw new Error('route53:ChangeResourceRecordSets: timeout');
  }
}

describe('advanceFailover: the bound on rounds', () => {
  it('stops one advance after 1000 rounds that keep changing something, naming the application', async () => {
    const w = engineWorld();
    const traffic = new UnreadableTraffic();
    await claimFailover(w.store, await readApp(w.store, APP), probed(restored(start())));
    // Every reading of the clock is 11 s later: each round finds the switch due again after its unknown outcome.
    const ticking = {
      now: () => {
        w.clock.advance(11);
        return w.clock.now();
      },
    };
    const c = { ...w.controller(), traffic, clock: ticking };
    await expect(advanceFailover(c, automatic)).rejects.toThrow(
      new Error('advance(case-management) did not settle after 1000 rounds'),
    );
    expect(traffic.calls).toBe(1000);
  });
});
