import { describe, expect, it } from 'vitest';
import {
  checkToken,
  decideApproval,
  decisionEvent,
  judgeDecision,
} from '#shared/application/decide-approval.ts';
import { INITIAL_APP_STATE } from '#shared/application/failover-repository.ts';
import { type ApprovalClaims, keyring, nonceHash } from '#shared/domain/approval-token.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { ItemKey, StateStore, Versioned, WriteOptions } from '#shared/ports/state-store.ts';
import { awaitingApproval, refusedStale } from '../../support/approval-links.ts';
import { t0 } from '../../support/engine-world.ts';
import { approvalPlan, F1, run, start } from '../../support/failovers.ts';
import { awsPlanDoc, loadPlan } from '../../support/plans.ts';

const alice = { id: 'alice@example.com', authenticated: true };
const TOPIC = 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals';

/** A store where every write of the app's failover item loses a race; counts those writes. */
class Beaten implements StateStore {
  writes = 0;
  constructor(private readonly inner: StateStore) {}
  get<T>(key: ItemKey) {
    return this.inner.get<T>(key);
  }
  query<T>(partition: string, prefix?: string) {
    return this.inner.query<T>(partition, prefix);
  }
  create<T>(key: ItemKey, value: T, options?: WriteOptions): Promise<Versioned<T>> {
    return this.inner.create(key, value, options);
  }
  async update<T>(key: ItemKey, value: T, version: number, options?: WriteOptions): Promise<Versioned<T>> {
    if (key.sort !== 'current') return this.inner.update(key, value, version, options);
    this.writes += 1;
    throw new ConflictError('beaten');
  }
}

describe('decideApproval', () => {
  it('approves: the failover starts, naming who approved', async () => {
    const w = await awaitingApproval();
    expect(await decideApproval(w.controller, w.plans, w.approveToken, alice)).toEqual({
      ok: true,
      app: 'case-management',
      effect: 'failover-started',
      reason: 'approved by alice@example.com',
      failoverId: w.failoverId,
    });
    expect((await w.state()).failover!.phase).toBe('restoring');
  });

  it('rejects: the failover is refused, naming who rejected', async () => {
    const w = await awaitingApproval();
    expect(await decideApproval(w.controller, w.plans, w.rejectToken, alice)).toEqual({
      ok: true,
      app: 'case-management',
      effect: 'refused',
      reason: 'rejected by alice@example.com',
      failoverId: w.failoverId,
    });
    expect((await w.state()).failover!.phase).toBe('aborted');
  });

  it('keeps at most 1000 characters of the comment, trimmed, and none when it is blank', async () => {
    const w = await awaitingApproval();
    await decideApproval(w.controller, w.plans, w.approveToken, alice, 'approve', `  ${'c'.repeat(1500)}  `);
    expect((await w.state()).failover!.decision!.comment).toBe('c'.repeat(1000));
    const v = await awaitingApproval();
    await decideApproval(v.controller, v.plans, v.approveToken, alice, 'approve', '   ');
    expect((await v.state()).failover!.decision).not.toHaveProperty('comment');
  });

  it('refuses an override link, which starts failovers and decides none, changing nothing', async () => {
    const w = await refusedStale();
    const before = await w.snapshot();
    expect(await decideApproval(w.controller, w.plans, w.overrideToken, alice)).toEqual({
      ok: false,
      app: null,
      refusal: 'wrong-decision',
      reason:
        'approval token refused: it is a "fail over anyway" (override) link, which starts a new failover; it cannot approve or reject one',
    });
    expect(await w.snapshot()).toEqual(before);
  });

  it('reads again after a lost race and gives up after 8, with a conflict naming the app', async () => {
    const w = await awaitingApproval();
    const store = new Beaten(w.controller.store);
    await expect(decideApproval({ ...w.controller, store }, w.plans, w.approveToken, alice)).rejects.toThrow(
      new ConflictError('could not record the decision on case-management after 8 attempts'),
    );
    expect(store.writes).toBe(8);
    expect((await w.state()).failover!.phase).toBe('awaiting-approval');
  });
});

describe('checkToken', () => {
  const keys = keyring(Buffer.alloc(32, 7));

  it('names the decision a token is for when asked for another, with the right article', async () => {
    const w = await awaitingApproval();
    expect(checkToken(w.approveToken, keys, t0, w.plans, 'reject')).toEqual({
      ok: false,
      app: null,
      refusal: 'wrong-decision',
      reason: 'approval token refused: it is a approve token, and the request asks to reject',
    });
    const r = await refusedStale();
    expect(checkToken(r.overrideToken, keys, t0, r.plans, 'approve')).toMatchObject({
      refusal: 'wrong-decision',
      reason: 'approval token refused: it is an override token, and the request asks to approve',
    });
  });

  it('finds the plan the token names among several, and refuses one the plan set lacks', async () => {
    const w = await awaitingApproval();
    const other = loadPlan(awsPlanDoc('billing'));
    const checked = checkToken(w.approveToken, keys, t0, [other, ...w.plans], 'approve');
    expect(checked.ok && checked.plan.name).toBe('case-management');
    expect(checkToken(w.approveToken, keys, t0, [], 'approve')).toEqual({
      ok: false,
      app: null,
      refusal: 'unknown-app',
      reason: 'approval token names application "case-management", which is not in the plan set',
    });
  });
});

describe('judgeDecision', () => {
  const claims = (
    decision: 'approve' | 'reject' = 'approve',
    failoverId = 'f1',
    nonce = 'n1',
  ): ApprovalClaims =>
    ({
      iss: 'standby',
      aud: 'standby-approval',
      app: 'case-management',
      failoverId,
      decision,
      recipient: TOPIC,
      iat: 0,
      exp: 0,
      kid: 'k',
      nonce,
    }) as ApprovalClaims;
  const state = (failover: ReturnType<typeof start> | null) => ({ ...INITIAL_APP_STATE, failover });
  const event = (c: ApprovalClaims) =>
    decisionEvent({ ...c, decision: c.decision as 'approve' | 'reject' }, alice, t0);

  it('refuses a token when the app has no failover, naming none', () => {
    expect(judgeDecision(state(null), claims(), event(claims()))).toEqual({
      ok: false,
      refusal: 'not-current',
      reason: 'approval token is for failover f1, which is not the current failover of case-management',
    });
  });

  it('refuses a token for a failover that is no longer current, naming the current one', () => {
    const f2 = start(approvalPlan(), 'f2');
    expect(judgeDecision(state(f2), claims(), event(claims()))).toEqual({
      ok: false,
      refusal: 'not-current',
      reason:
        'approval token is for failover f1, which is not the current failover of case-management (f2, awaiting-approval)',
    });
  });

  it('refuses the token whose decision is on record as used', () => {
    const decided = run(start(approvalPlan()), { ...event(claims('reject')), at: t0 });
    expect(judgeDecision(state(decided), claims('reject'), event(claims('reject')))).toEqual({
      ok: false,
      refusal: 'used',
      reason: 'approval token was already used; tokens are single-use',
    });
    expect(
      judgeDecision(state(decided), claims('approve', 'f1', 'n2'), event(claims('approve', 'f1', 'n2'))),
    ).toEqual({
      ok: false,
      refusal: 'used',
      reason: 'failover f1 was already rejected by alice@example.com',
    });
  });

  it('refuses a token for a failover that no longer waits and was never decided, with the machine’s reason', () => {
    const aborted = run(start(approvalPlan()), { type: 'abort', ...F1, at: t0, reason: 'operator abort' });
    const judged = judgeDecision(state(aborted), claims(), event(claims()));
    expect(judged).toMatchObject({ ok: false, refusal: 'not-current' });
    expect(!judged.ok && judged.reason).toMatch(/^cannot approve failover f1: /);
  });

  it('approves with the event of its token: who, and the hash of the nonce', () => {
    const judged = judgeDecision(state(start(approvalPlan())), claims(), event(claims()));
    expect(judged.ok && judged.failover.decision).toMatchObject({
      decision: 'approve',
      by: 'alice@example.com',
      nonce: nonceHash('n1'),
    });
  });
});
