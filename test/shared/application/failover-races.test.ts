/**
 * The six ways issue #6 found the engine breaking SPEC §4 under races and crashes, each replayed as a
 * named interleaving (see `docs/failover.md` › Invariants). On the engine before the reshape, each of
 * these ends with the wrong failover moved, a second failover, a lost approval or stored routing that
 * contradicts the real one.
 */
import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { createController } from '#shared/application/controller.ts';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { applyEvents, readAppState } from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { recordRestoreEnd } from '#shared/application/record-restore-end.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { ActiveSite } from '#shared/ports/recovery-actions.ts';
import { approvalPlan as approvalPlanWith } from '../../support/failovers.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const t0 = new Date('2026-11-21T12:00:00Z');
const alarm = (eventId: string) => ({ kind: 'alarm', ref: 'case-api-health', eventId }) as const;
const approvalPlan = approvalPlanWith();
const independent = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    for (const r of d.spec.resources as { dependsOn?: string[] }[]) r.dependsOn = [];
  }),
);

/** Routing that applies a switch and then reports a 500; `readable` says whether it can be read back. */
class AmbiguousTraffic extends FakeTraffic {
  readable = true;
  override async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    if (!this.readable) throw new Error('route53:ListResourceRecordSets: 503');
    return super.activeSite(plan);
  }
  override async switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    await super.switchTo(plan, site);
    throw new Error('route53:ChangeResourceRecordSets: 500 InternalError');
  }
}

function world(options: { traffic?: FakeTraffic; failing?: string[] } = {}) {
  const clock = new ManualClock(t0);
  const store = new InterleavingStore(new InMemoryStateStore());
  const restores = new FakeRestores(clock, 600, options.failing ?? []);
  const traffic = options.traffic ?? new FakeTraffic();
  let n = 0;
  const controller = createController({
    store,
    inventory: new FakeInventory(clock),
    restores,
    prober: new FakeProber(),
    traffic,
    notifier: new RecordingNotifier(),
    clock,
    approvalKey: Buffer.alloc(32, 3),
    newId: () => `f${++n}`,
    owner: 'a',
  });
  const state = (app = 'case-management') => readAppState(store, app);
  const notifier = controller.notifier as RecordingNotifier;
  /** The tokens of the latest approval request, as its recipient received them. */
  const tokens = async () => notifier.sent.at(-1)!;
  return { clock, store, restores, traffic, controller, state, tokens };
}

describe('failover races (issue #6 scenarios)', () => {
  it('1. a late COMPLETED of the previous failover’s job never succeeds the new failover’s step', async () => {
    const w = world();
    const plan = loadPlan();
    await requestFailover(w.controller, plan, alarm('e1'));
    await advanceFailover(w.controller, plan); // F1 starts job-1 for case-db
    // While the event for job-1 is being handled, F1 ends (its job reported failed by the poll) and F2 starts.
    w.store.at('get', 'current', 1, async () => {
      await applyEvents(w.store, plan.name, [
        {
          type: 'restore-failed',
          failoverId: 'f1',
          step: 'restore:case-db',
          jobId: 'job-1',
          at: t0,
          reason: 'x',
        },
      ]);
      await requestFailover(w.controller, plan, alarm('e2'));
      await advanceFailover(w.controller, plan); // F2 starts job-2
    });
    const result = await recordRestoreEnd(w.controller, plan.name, {
      jobId: 'job-1',
      ended: true,
      succeeded: true,
      message: 'COMPLETED',
    });
    expect(result).toMatchObject({ kind: 'already-known', failoverId: 'f1' });
    const f2 = (await w.state()).failover!;
    expect(f2).toMatchObject({ id: 'f2', phase: 'restoring' });
    expect(f2.steps[0]).toMatchObject({ status: 'running', jobId: 'job-2' });
    await advanceFailover(w.controller, plan);
    expect(w.traffic.changes).toBe(0);
  });

  it('2. an approval token for F1 never approves F2, even when F2 replaced F1 mid-decision', async () => {
    const w = world();
    await requestFailover(w.controller, approvalPlan, alarm('e1'));
    const f1 = await w.tokens();
    w.store.at('get', 'current', 1, async () => {
      await decideApproval(w.controller, [approvalPlan], f1.rejectToken!, { id: 'bob', authenticated: true });
      await requestFailover(w.controller, approvalPlan, alarm('e2')); // the alarm flapped
    });
    const result = await decideApproval(w.controller, [approvalPlan], f1.approveToken!, {
      id: 'alice',
      authenticated: true,
    });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('not the current failover') });
    expect((await w.state()).failover).toMatchObject({
      id: 'f2',
      phase: 'awaiting-approval',
      decision: null,
    });
    await advanceFailover(w.controller, approvalPlan);
    expect(w.restores.calls).toEqual([]);
  });

  it('3. a round that read F1 never acts on F2: no intent lands on F2, no job starts with F1’s token', async () => {
    const w = world();
    const plan = loadPlan();
    await requestFailover(w.controller, plan, alarm('e1'));
    // The round reads F1; before it records its intents, F1 is aborted and F2 claimed.
    w.store.at('get', 'current', 1, async () => {
      await applyEvents(w.store, plan.name, [
        { type: 'abort', failoverId: 'f1', at: t0, reason: 'operator' },
      ]);
      await requestFailover(w.controller, plan, alarm('e2'));
    });
    await advanceFailover(w.controller, plan);
    expect(w.restores.calls.map((c) => c.idempotencyToken)).toEqual(['f2-case-db']);
    const f2 = (await w.state()).failover!;
    expect(f2.steps[0]).toMatchObject({ status: 'running', jobId: 'job-1', idempotencyToken: 'f2-case-db' });
  });

  it('4. one alarm fact starts one failover, even redelivered after a crash and after its failover ended', async () => {
    const w = world({ failing: ['case-db'] });
    const plan = loadPlan();
    expect(await requestFailover(w.controller, plan, alarm('alarm-fact-1'))).toMatchObject({
      effect: 'failover-started',
    });
    await advanceFailover(w.controller, plan);
    w.clock.advance(600);
    expect(await advanceFailover(w.controller, plan)).toBe('ended'); // F1 failed: its restore failed
    // The de-duplication marker never made it (crash), and the SNS copy of the same fact comes in.
    const again = await requestFailover(w.controller, plan, alarm('alarm-fact-1'));
    expect(again).toMatchObject({ effect: 'ignored', failoverId: 'f1' });
    expect(w.restores.created).toBe(1);
    // A new fact (the alarm fired again) does start a new failover.
    expect(await requestFailover(w.controller, plan, alarm('alarm-fact-2'))).toMatchObject({
      failoverId: 'f2',
    });
  });

  it.each(['before', 'after'] as const)(
    '5. a crash %s the decision write never loses the approval: the retry approves, once',
    async (when) => {
      const w = world();
      await requestFailover(w.controller, approvalPlan, alarm('e1'));
      const { approveToken } = await w.tokens();
      w.store.at('update', 'current', 1, async () => {}, { when, fail: new Error('process died') });
      await expect(
        decideApproval(w.controller, [approvalPlan], approveToken!, { id: 'alice', authenticated: true }),
      ).rejects.toThrow('process died');
      const retry = await decideApproval(w.controller, [approvalPlan], approveToken!, {
        id: 'alice',
        authenticated: true,
      });
      const failover = (await w.state()).failover!;
      expect(failover).toMatchObject({ phase: 'restoring', decision: { by: 'alice' } });
      expect(failover.history.filter((h) => h.reason === 'approved by alice')).toHaveLength(1);
      expect(retry.ok || retry.reason === 'approval token was already used; tokens are single-use').toBe(
        true,
      );
    },
  );

  it('6. a switch that applied but reported 500 is reconciled from the real routing, not recorded failed', async () => {
    const traffic = new AmbiguousTraffic();
    const w = world({ traffic });
    const plan = loadPlan();
    await requestFailover(w.controller, plan, alarm('e1'));
    for (let i = 0; i < 4 && (await advanceFailover(w.controller, plan)) !== 'ended'; i++)
      w.clock.advance(600);
    const state = await w.state();
    expect(state.failover).toMatchObject({ phase: 'completed' });
    expect(state.activeSite).toBe('recovery');
    expect(traffic.changes).toBe(1);
    expect(await requestFailover(w.controller, plan, alarm('e2'))).toMatchObject({ effect: 'ignored' });
  });

  it('6b. a switch whose outcome cannot be read yet waits, and is reconciled once the routing can be read', async () => {
    const traffic = new AmbiguousTraffic();
    const w = world({ traffic });
    const plan = loadPlan();
    await requestFailover(w.controller, plan, alarm('e1'));
    await advanceFailover(w.controller, plan);
    w.clock.advance(600);
    await advanceFailover(w.controller, plan);
    w.clock.advance(600);
    traffic.readable = false;
    const sw = async () => (await w.state()).failover!.steps.at(-1)!;
    // Reads fail: the switch was sent (it applied), its outcome stays unknown.
    await advanceFailover(w.controller, plan);
    expect((await w.state()).failover?.phase).toBe('switching');
    expect(await sw()).toMatchObject({
      status: 'running',
      detail: expect.stringContaining('outcome unknown'),
    });
    traffic.readable = true;
    w.clock.advance(60);
    expect(await advanceFailover(w.controller, plan)).toBe('ended');
    expect((await w.state()).activeSite).toBe('recovery');
    expect(traffic.changes).toBe(1);
  });

  it('restores what the plan said at the trigger, even when the plan changes before approval', async () => {
    const w = world();
    await requestFailover(w.controller, approvalPlan, alarm('e1'));
    const { approveToken } = await w.tokens();
    const edited = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.resources = (d.spec.resources as { name: string }[]).filter((r) => r.name === 'case-db');
        d.spec.failover = {
          mode: 'approval',
          approval: {
            notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' }],
            timeout: '30m',
          },
        };
      }),
    );
    expect(
      await decideApproval(w.controller, [edited], approveToken!, { id: 'alice', authenticated: true }),
    ).toMatchObject({ ok: true });
    for (let i = 0; i < 6 && (await advanceFailover(w.controller, edited)) !== 'ended'; i++)
      w.clock.advance(600);
    expect(w.restores.calls.map((c) => c.resource.name)).toEqual(['case-db', 'case-api']);
    expect((await w.state()).failover?.phase).toBe('completed');
  });

  it('follows a failed restore’s running siblings to their end before the failover ends', async () => {
    const w = world({ failing: ['case-db'] });
    await requestFailover(w.controller, independent, alarm('e1'));
    await advanceFailover(w.controller, independent); // both jobs start
    await applyEvents(w.store, independent.name, [
      {
        type: 'restore-failed',
        failoverId: 'f1',
        step: 'restore:case-db',
        jobId: 'job-1',
        at: t0,
        reason: 'corrupt',
      },
    ]);
    expect((await w.state()).failover?.phase).toBe('finishing');
    w.clock.advance(600);
    expect(await advanceFailover(w.controller, independent)).toBe('ended');
    const failover = (await w.state()).failover!;
    expect(failover).toMatchObject({ phase: 'failed', reason: 'restore of case-db failed: corrupt' });
    expect(failover.steps[1]).toMatchObject({ status: 'succeeded', createdResource: 'case-api-restored' });
  });

  it('two rounds of one owner never both act: the later acquisition fences the earlier round out (seed 13104)', async () => {
    const w = world();
    const plan = loadPlan();
    await requestFailover(w.controller, plan, alarm('e1'));
    let second: Promise<unknown> = Promise.resolve();
    // Round 1 stamped its token (write 1) and recorded its intent (write 2); then a second round of the
    // same owner (another invocation of the same instance) runs alongside it.
    w.store.at('update', 'current', 2, async () => {
      second = advanceFailover(w.controller, plan);
    });
    const first = await advanceFailover(w.controller, plan);
    await second;
    // One of the two rounds started the restore; the other was fenced out before acting.
    expect(w.restores.calls.map((c) => c.resource.name)).toEqual(['case-db']);
    expect([first, await second]).toContain('held-elsewhere');
  });
});
