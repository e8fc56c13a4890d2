import { describe, expect, it } from 'vitest';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import { createController, DEFAULT_LEASE_SKEW_SECONDS } from '#shared/application/controller.ts';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { listNotifications, readAppState } from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { RETRY_AFTER_SECONDS } from '#shared/domain/failover-transition.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { ItemKey, StateStore, WriteOptions } from '#shared/ports/state-store.ts';
import { approvalPlan as approvalPlanWith } from '../../support/failovers.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../../support/fake-ports.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const t0 = new Date('2026-11-21T12:00:00Z');
const key = Buffer.alloc(32, 7);
const trigger = {
  kind: 'alarm',
  ref: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
  eventId: 'e1',
} as const;
const approvalPlan = approvalPlanWith();

class Crash extends Error {}

/** A store that dies (every call throws) once `crashAfterWrites` writes have landed. */
class CrashingStore implements StateStore {
  writes = 0;
  dead = false;
  constructor(
    readonly inner: StateStore,
    private readonly crashAfterWrites = Number.POSITIVE_INFINITY,
  ) {}
  private check() {
    if (this.dead) throw new Crash('process died');
  }
  private async wrote<T>(p: Promise<T>): Promise<T> {
    const r = await p;
    this.writes += 1;
    if (this.writes >= this.crashAfterWrites) this.dead = true;
    return r;
  }
  async get<T>(k: ItemKey) {
    this.check();
    return this.inner.get<T>(k);
  }
  async query<T>(p: string, s?: string) {
    this.check();
    return this.inner.query<T>(p, s);
  }
  async create<T>(k: ItemKey, v: T, o?: WriteOptions) {
    this.check();
    return this.wrote(this.inner.create(k, v, o));
  }
  async update<T>(k: ItemKey, v: T, e: number, o?: WriteOptions) {
    this.check();
    return this.wrote(this.inner.update(k, v, e, o));
  }
}

function world(
  options: {
    ages?: Record<string, number | 'missing' | 'error'>;
    failing?: string[];
    probes?: Record<string, boolean>;
  } = {},
) {
  const clock = new ManualClock(t0);
  const store = new InMemoryStateStore();
  const restores = new FakeRestores(clock, 600, options.failing ?? []);
  const traffic = new FakeTraffic();
  const prober = new FakeProber(options.probes ?? {});
  const notifier = new RecordingNotifier();
  const inventory = new FakeInventory(clock, options.ages ?? {});
  let n = 0;
  const controller = (
    owner = 'controller-a',
    s: StateStore = store,
    approvalKey: Buffer | (() => Promise<Buffer>) = key,
  ) =>
    createController({
      store: s,
      inventory,
      restores,
      prober,
      traffic,
      notifier,
      clock,
      approvalKey,
      newId: () => `f${++n}`,
      owner,
      leaseSeconds: 300,
    });
  /** Advances until the failover waits for nothing but simulated time, moving time to each job's end. */
  const drive = async (c: Controller, plan: RecoveryPlan) => {
    for (let i = 0; i < 50; i++) {
      const r = await advanceFailover(c, plan);
      if (r !== 'waiting-for-jobs') return r;
      // Time moves to the next job's end, or past a retry delay when no job runs.
      const next = restores.nextCompletion();
      if (next) clock.advanceTo(next);
      else clock.advance(RETRY_AFTER_SECONDS);
    }
    throw new Error('did not settle');
  };
  return { clock, store, restores, traffic, prober, notifier, inventory, controller, drive };
}

describe('failover use cases (request, advance, decide) on fakes', () => {
  it('carries an automatic failover to completed: each restore once, dependents after dependencies, traffic switched', async () => {
    const w = world();
    const plan = loadPlan();
    const c = w.controller();
    expect(await requestFailover(c, plan, trigger)).toMatchObject({
      effect: 'failover-started',
      failoverId: 'f1',
    });
    expect(await w.drive(c, plan)).toBe('ended');

    const state = await readAppState(c.store, plan.name);
    expect(state.failover?.phase).toBe('completed');
    expect(state.activeSite).toBe('recovery');
    expect(w.traffic.site).toBe('recovery');
    expect(w.restores.calls.map((r) => r.resource.name)).toEqual(['case-db', 'case-api']);
    const db = state.failover!.steps.find((s) => s.name === 'restore:case-db')!;
    const api = state.failover!.steps.find((s) => s.name === 'restore:case-api')!;
    expect(Date.parse(api.startedAt!)).toBeGreaterThanOrEqual(Date.parse(db.endedAt!));
    expect(state.failover!.history.map((h) => h.phase)).toEqual([
      'restoring',
      'validating',
      'switching',
      'completed',
    ]);
    expect(w.prober.calls).toEqual(['https://case-api.dr.example.com/internal/health']);
  });

  it('joins a failover in flight instead of starting a second one', async () => {
    const w = world();
    const plan = loadPlan();
    await requestFailover(w.controller(), plan, trigger);
    expect(await requestFailover(w.controller('b'), plan, { ...trigger, eventId: 'e2' })).toMatchObject({
      effect: 'joined-existing',
      failoverId: 'f1',
    });
  });

  it('lets exactly one of two concurrent requests start the failover', async () => {
    const w = world();
    const plan = loadPlan();
    const results = await Promise.all([
      requestFailover(w.controller('a'), plan, trigger),
      requestFailover(w.controller('b'), plan, trigger),
    ]);
    expect(results.map((r) => r.effect).sort()).toEqual(['failover-started', 'joined-existing']);
  });

  it('leaves an application that already runs on the recovery site alone', async () => {
    const w = world();
    const plan = loadPlan();
    const c = w.controller();
    await requestFailover(c, plan, trigger);
    await w.drive(c, plan);
    expect(await requestFailover(c, plan, trigger)).toMatchObject({ effect: 'ignored' });
    expect(w.restores.created).toBe(2);
  });

  it.each([
    [{ 'case-db': 400 }, 'stale backups (requireFreshBackups): case-db is 6m 40s old, RPO 5m'],
    [{ 'case-api': 'missing' as const }, 'no restorable recovery point for case-api (missing)'],
    [{ 'case-db': 'error' as const }, 'no restorable recovery point for case-db (unknown)'],
  ])('refuses and records the reason when backups are not usable (%j)', async (ages, reason) => {
    const w = world({ ages });
    const plan = loadPlan();
    const c = w.controller();
    expect(await requestFailover(c, plan, trigger)).toMatchObject({ effect: 'refused', reason });
    const state = await readAppState(c.store, plan.name);
    expect(state.failover).toMatchObject({ phase: 'aborted', reason });
    expect(w.restores.calls).toEqual([]);
    expect(w.traffic.changes).toBe(0);
  });

  it('fails over onto stale backups when requireFreshBackups is false', async () => {
    const w = world({ ages: { 'case-db': 400 } });
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = { mode: 'automatic', requireFreshBackups: false };
      }),
    );
    expect(await requestFailover(w.controller(), plan, trigger)).toMatchObject({
      effect: 'failover-started',
    });
  });

  it('refuses a resource without a restore block, naming it', async () => {
    const w = world();
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        delete (d.spec.resources as { awsBackup: { restore?: unknown } }[])[1]!.awsBackup.restore;
      }),
    );
    expect(await requestFailover(w.controller(), plan, trigger)).toMatchObject({
      effect: 'refused',
      reason: 'cannot restore case-api: no restore block in the plan',
    });
  });

  it('refuses a second failover within the cooldown', async () => {
    const w = world();
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        d.spec.failover = { mode: 'automatic', cooldown: '1h' };
      }),
    );
    await w.store.create(
      { partition: `app#${plan.name}`, sort: 'current' },
      {
        activeSite: 'primary',
        failover: null,
        lastCompletedAt: new Date(t0.getTime() - 600_000).toISOString(),
        fencingToken: 0,
      },
    );
    const r = await requestFailover(w.controller(), plan, trigger);
    expect(r.effect).toBe('refused');
    expect(r.reason).toMatch(
      /^cooldown: the last failover completed at 2026-11-21T11:50:00.000Z, within the cooldown of 1h/,
    );
  });

  it('ends failed with routing unchanged when a restore fails', async () => {
    const w = world({ failing: ['case-db'] });
    const plan = loadPlan();
    const c = w.controller();
    await requestFailover(c, plan, trigger);
    expect(await w.drive(c, plan)).toBe('ended');
    const state = await readAppState(c.store, plan.name);
    expect(state.failover).toMatchObject({
      phase: 'failed',
      reason: 'restore of case-db failed: restore of case-db failed: snapshot corrupt',
    });
    expect(w.traffic.changes).toBe(0);
    expect(w.restores.calls.map((r) => r.resource.name)).toEqual(['case-db']);
  });

  it('ends failed without switching when a validation probe fails', async () => {
    const w = world({ probes: { 'https://case-api.dr.example.com/internal/health': false } });
    const plan = loadPlan();
    const c = w.controller();
    await requestFailover(c, plan, trigger);
    await w.drive(c, plan);
    expect((await readAppState(c.store, plan.name)).failover?.phase).toBe('failed');
    expect(w.traffic.changes).toBe(0);
  });

  describe('approval', () => {
    it('sends an approval request that a failed key load left unsent when the trigger is redelivered', async () => {
      const w = world();
      let loads = 0;
      const c = w.controller('a', w.store, async () => {
        loads += 1;
        if (loads === 1) throw new Error('secret read throttled');
        return key;
      });
      await expect(requestFailover(c, approvalPlan, trigger)).rejects.toThrow('secret read throttled');
      const [request] = w.notifier.sent;
      expect(request).toBeUndefined();
      const state = await readAppState(c.store, approvalPlan.name);
      expect(state.failover?.phase).toBe('awaiting-approval');
      // The failover is recorded; an approval decided later loads the key again and succeeds.
      const { keyring, signApprovalToken } = await import('#shared/domain/approval-token.ts');
      const token = signApprovalToken(
        {
          app: approvalPlan.name,
          failoverId: state.failover!.id,
          decision: 'reject',
          recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
          exp: Date.parse('2026-11-21T12:30:00Z') / 1000,
        },
        keyring(key),
        t0,
      );
      await decideApproval(c, [approvalPlan], token, { id: 'ops', authenticated: true });
      expect(loads).toBe(2);
      expect((await readAppState(c.store, approvalPlan.name)).failover?.phase).toBe('aborted');
    });

    it('asks each notify target and waits, routing unchanged; approving completes it', async () => {
      const w = world();
      const c = w.controller();
      expect(await requestFailover(c, approvalPlan, trigger)).toMatchObject({ effect: 'approval-requested' });
      expect(await w.drive(c, approvalPlan)).toBe('waiting-for-approval');
      expect(w.traffic.changes).toBe(0);
      expect(w.notifier.sent).toHaveLength(1);
      const [stored] = await listNotifications(c.store, approvalPlan.name);
      expect(stored).toMatchObject({
        channel: 'sns',
        kind: 'approval-request',
        failoverId: 'f1',
        recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
        delivered: true,
      });
      // The store keeps no token: only the hashes of their nonces, as evidence of which one acted.
      expect(JSON.stringify(stored)).not.toMatch(/sb2\./);
      const [request] = w.notifier.sent;

      expect(
        await decideApproval(c, [approvalPlan], request!.approveToken!, { id: 'alice', authenticated: true }),
      ).toMatchObject({
        effect: 'failover-started',
      });
      expect(await w.drive(c, approvalPlan)).toBe('ended');
      expect(
        (await readAppState(c.store, approvalPlan.name)).failover?.history.map((h) => h.reason),
      ).toContain('approved by alice');
      expect(w.traffic.site).toBe('recovery');
    });

    it('aborts on reject', async () => {
      const w = world();
      const c = w.controller();
      await requestFailover(c, approvalPlan, trigger);
      const [request] = w.notifier.sent;
      await decideApproval(c, [approvalPlan], request!.rejectToken!, { id: 'bob', authenticated: true });
      expect((await readAppState(c.store, approvalPlan.name)).failover).toMatchObject({
        phase: 'aborted',
        reason: 'rejected by bob',
      });
      expect(w.restores.calls).toEqual([]);
    });

    it.each([
      [
        'a token used again after its decision',
        async (token: string, c: Controller) => {
          await decideApproval(c, [approvalPlan], token, { id: 'alice', authenticated: true });
        },
        /approval token was already used; tokens are single-use/,
      ],
      ['a tampered token', async () => {}, /signature is not valid/],
      [
        'an expired token',
        async (_t: string, _c: Controller, clock: ManualClock) => clock.advance(1801),
        /expired/,
      ],
    ])('refuses %s', async (_name, before, message) => {
      const w = world();
      const c = w.controller();
      await requestFailover(c, approvalPlan, trigger);
      const [request] = w.notifier.sent;
      let token = request!.approveToken!;
      await before(token, c, w.clock);
      if (_name === 'a tampered token') token = `${token.slice(0, -3)}AAA`;
      const result = await decideApproval(c, [approvalPlan], token, { id: 'mallory', authenticated: true });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(message) });
      expect((await readAppState(c.store, approvalPlan.name)).failover?.decision?.by ?? null).not.toBe(
        'mallory',
      );
    });

    it('lets only one of two simultaneous uses of a token through: its nonce is recorded once', async () => {
      const w = world();
      const c = w.controller();
      await requestFailover(c, approvalPlan, trigger);
      const [request] = w.notifier.sent;
      const token = request!.approveToken!;
      // Both read the failover while it still awaits approval; the conditional write lets one through.
      const results = await Promise.all([
        decideApproval(c, [approvalPlan], token, { id: 'alice', authenticated: true }),
        decideApproval(c, [approvalPlan], token, { id: 'mallory', authenticated: true }),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(results[1]).toMatchObject({ reason: 'approval token was already used; tokens are single-use' });
      expect((await readAppState(c.store, approvalPlan.name)).failover?.decision).toMatchObject({
        by: 'alice',
      });
    });

    it('settles a timed-out approval with onTimeout abort when advanced after the deadline', async () => {
      const w = world();
      const c = w.controller();
      await requestFailover(c, approvalPlan, trigger);
      w.clock.advance(30 * 60);
      expect(await advanceFailover(c, approvalPlan)).toBe('ended');
      expect((await readAppState(c.store, approvalPlan.name)).failover?.reason).toBe(
        'approval timed out; onTimeout is abort',
      );
    });
  });

  describe('crash safety', () => {
    /** Count the writes of an undisturbed run, to crash after each one in turn. */
    async function writesOfCleanRun(): Promise<number> {
      const w = world();
      const counting = new CrashingStore(w.store);
      const c = w.controller('a', counting);
      const plan = loadPlan();
      await requestFailover(c, plan, trigger);
      await w.drive(c, plan);
      return counting.writes;
    }

    it('completes with no duplicated restore or switch whichever write the controller dies after', async () => {
      const total = await writesOfCleanRun();
      expect(total).toBeGreaterThan(10);
      for (let k = 1; k <= total; k++) {
        const w = world();
        const plan = loadPlan();
        const dying = new CrashingStore(w.store, k);
        const first = w.controller('a', dying);
        await requestFailover(first, plan, trigger)
          .then(() => w.drive(first, plan))
          .catch((e) => {
            if (!(e instanceof Crash)) throw e;
          });
        // A new instance takes over once the dead one's lease has expired, and the alarm is redelivered.
        w.clock.advance(301 + DEFAULT_LEASE_SKEW_SECONDS); // the dead controller's lease expires, by more than the skew
        const second = w.controller('b');
        await requestFailover(second, plan, trigger);
        await w.drive(second, plan);
        const state = await readAppState(second.store, plan.name);
        expect({ k, phase: state.failover?.phase }).toEqual({ k, phase: 'completed' });
        expect({ k, jobs: w.restores.created, switches: w.traffic.changes }).toEqual({
          k,
          jobs: 2,
          switches: 1,
        });
      }
    });

    it('completes with no duplicated effect when the controller dies right after each effect', async () => {
      for (const crashAt of ['start:case-db', 'start:case-api', 'switch']) {
        const w = world();
        const plan = loadPlan();
        const dying = new CrashingStore(w.store);
        const restores = w.restores;
        const traffic = w.traffic;
        // Kill the process right after the effect reached the cloud, before its result is recorded.
        const startOriginal = restores.start.bind(restores);
        restores.start = async (r) => {
          const out = await startOriginal(r);
          if (crashAt === `start:${r.resource.name}`) {
            dying.dead = true;
            throw new Crash('died after StartRestoreJob');
          }
          return out;
        };
        const switchOriginal = traffic.switchTo.bind(traffic);
        traffic.switchTo = async (p, s) => {
          await switchOriginal(p, s);
          if (crashAt === 'switch') {
            dying.dead = true;
            throw new Crash('died after the switch');
          }
        };
        const first = w.controller('a', dying);
        await requestFailover(first, plan, trigger)
          .then(() => w.drive(first, plan))
          .catch((e) => {
            if (!(e instanceof Crash)) throw e;
          });
        restores.start = startOriginal;
        traffic.switchTo = switchOriginal;
        w.clock.advance(301 + DEFAULT_LEASE_SKEW_SECONDS); // the dead controller's lease expires, by more than the skew
        const second = w.controller('b');
        await w.drive(second, plan);
        expect({ crashAt, phase: (await readAppState(second.store, plan.name)).failover?.phase }).toEqual({
          crashAt,
          phase: 'completed',
        });
        expect({ crashAt, jobs: restores.created, switches: traffic.changes }).toEqual({
          crashAt,
          jobs: 2,
          switches: 1,
        });
      }
    });

    it('keeps a second instance out while the first holds the lease', async () => {
      const w = world();
      const plan = loadPlan();
      await requestFailover(w.controller('a'), plan, trigger);
      const { acquireLease } = await import('#shared/application/lease.ts');
      await acquireLease(w.store, { name: `failover/${plan.name}`, owner: 'a', now: t0, ttlSeconds: 300 });
      expect(await advanceFailover(w.controller('b'), plan)).toBe('held-elsewhere');
    });
  });
});
