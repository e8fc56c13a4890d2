import { describe, expect, it } from 'vitest';
import { applyEvents, INITIAL_APP_STATE, readAppState } from '#shared/application/failover-repository.ts';
import { overrideByLink, overrideRefusal, overrideTrigger } from '#shared/application/override-refusal.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { type ApprovalClaims, nonceHash, readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { createFailover, type Failover } from '#shared/domain/failover.ts';
import { alarm, awaitingApproval } from '../../support/approval-links.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan, F1, points, run, start, t0, trigger } from '../../support/failovers.ts';
import { loadPlan } from '../../support/plans.ts';

const TOPIC = 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals';
const alice = { id: 'alice@example.com', authenticated: true };

/** A failover refused because case-db's newest backup is 2h old; its link as the recipient got it. */
async function refused(ages: Record<string, number | 'missing'> = { 'case-db': 7200 }) {
  const w = engineWorld({ ages });
  const controller = w.controller();
  const plan = approvalPlan();
  const result = await requestFailover(controller, plan, alarm);
  expect(result.effect).toBe('refused');
  const token = w.notifier.sent.find((n) => n.kind === 'failover-refused')!.overrideToken!;
  return {
    ...w,
    ages,
    controller,
    plan,
    refusedId: result.failoverId!,
    token,
    claims: readUnverifiedClaims(token) as ApprovalClaims,
    snapshot: () => controller.store.query(`app#${plan.name}`),
  };
}

describe('overrideByLink', () => {
  it('starts a failover accepting the gates the link names, kept with who and why, its trigger the link', async () => {
    const w = await refused();
    const result = await overrideByLink(
      w.controller,
      [w.plan],
      w.token,
      alice,
      '  outage on, backups late  ',
    );
    expect(result).toMatchObject({ ok: true, app: 'case-management', effect: 'approval-requested' });
    expect(result.ok && result.reason).toMatch(/; override by alice@example\.com: outage on, backups late$/);
    const failover = (await readAppState(w.store, w.plan.name)).failover!;
    expect(failover.id).toBe(result.ok && result.failoverId);
    expect(failover.override).toEqual({
      by: 'alice@example.com',
      reason: 'outage on, backups late',
      accepted: ['fresh-backups'],
    });
    expect(failover.trigger).toEqual({
      kind: 'manual',
      ref: `override link sent to ${TOPIC}`,
      eventId: `override:${nonceHash(w.claims.nonce)}`,
    });
  });

  it('names an unauthenticated approver as the recipient, with what they said', async () => {
    const w = await refused();
    await overrideByLink(w.controller, [w.plan], w.token, { id: 'bob', authenticated: false }, 'outage');
    expect((await readAppState(w.store, w.plan.name)).failover!.override!.by).toBe(
      `the recipient of ${TOPIC} (unauthenticated; says "bob")`,
    );
  });

  it('keeps at most 1000 characters of the reason', async () => {
    const w = await refused();
    await overrideByLink(w.controller, [w.plan], w.token, alice, `${'x'.repeat(1200)}`);
    expect((await readAppState(w.store, w.plan.name)).failover!.override!.reason).toHaveLength(1000);
  });

  it.each([
    ['no reason', ''],
    ['only spaces', '   '],
  ])('refuses an override with %s, changing nothing', async (_, reason) => {
    const w = await refused();
    const before = await w.snapshot();
    expect(await overrideByLink(w.controller, [w.plan], w.token, alice, reason)).toEqual({
      ok: false,
      app: 'case-management',
      reason: 'an override needs a reason; it is kept as evidence',
    });
    expect(await w.snapshot()).toEqual(before);
  });

  it('refuses a token that is no override link, or not signed by this controller, changing nothing', async () => {
    const w = await refused();
    const before = await w.snapshot();
    const tampered = `${w.token.slice(0, -2)}${w.token.endsWith('A') ? 'B' : 'A'}A`;
    expect(await overrideByLink(w.controller, [w.plan], tampered, alice, 'outage')).toMatchObject({
      ok: false,
      app: null,
    });
    expect(await w.snapshot()).toEqual(before);
  });

  it('acts once: the link used a second time is refused as used', async () => {
    const w = await refused();
    expect((await overrideByLink(w.controller, [w.plan], w.token, alice, 'outage')).ok).toBe(true);
    expect(await overrideByLink(w.controller, [w.plan], w.token, alice, 'outage')).toEqual({
      ok: false,
      app: 'case-management',
      refusal: 'used',
      reason: 'this "fail over anyway" link was already used; links are single-use',
    });
  });

  it('refuses a link whose refused failover was replaced by a newer one, naming it', async () => {
    const w = await refused();
    w.ages['case-db'] = 60;
    const newer = await requestFailover(w.controller, w.plan, { ...alarm, eventId: 'alarm-2' });
    expect(await overrideByLink(w.controller, [w.plan], w.token, alice, 'outage')).toEqual({
      ok: false,
      app: 'case-management',
      refusal: 'not-current',
      reason: `this link overrides the refusal of failover ${w.refusedId}, which is no longer the latest failover of case-management (${newer.failoverId}, awaiting-approval)`,
    });
  });

  it('refuses a link whose failover was replaced by one that ended without a refusal, starting nothing', async () => {
    const w = await refused();
    w.ages['case-db'] = 60;
    const newer = await requestFailover(w.controller, loadPlan(), { ...alarm, eventId: 'alarm-2' });
    expect(newer.effect).toBe('failover-started');
    await applyEvents(w.store, w.plan.name, [
      { type: 'abort', failoverId: newer.failoverId!, at: t0, reason: 'operator' },
    ]);
    expect((await readAppState(w.store, w.plan.name)).failover!.phase).toBe('aborted');
    const result = await overrideByLink(w.controller, [w.plan], w.token, alice, 'outage');
    expect(result).toMatchObject({ ok: false, refusal: 'not-current' });
    expect((await readAppState(w.store, w.plan.name)).failover!.id).toBe(newer.failoverId);
  });

  it('starts the failover at once when the plan no longer asks for approval', async () => {
    const w = await refused();
    const result = await overrideByLink(w.controller, [loadPlan()], w.token, alice, 'outage');
    expect(result).toMatchObject({ ok: true, effect: 'failover-started' });
  });

  it('refuses an approval token posted as a "fail over anyway" link', async () => {
    const w = await refused();
    const approve = (await awaitingApproval()).approveToken;
    expect(await overrideByLink(w.controller, [w.plan], approve, alice, 'outage')).toMatchObject({
      ok: false,
      refusal: 'wrong-decision',
    });
  });

  it('says when the failover is refused again by a gate the link does not accept', async () => {
    const w = await refused();
    w.ages['case-api'] = 'missing';
    const result = await overrideByLink(w.controller, [w.plan], w.token, alice, 'outage');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^the failover was refused again: /);
  });

  it('starts one failover when the link is posted twice at once; the other is told the link was used', async () => {
    const w = await refused();
    const results = await Promise.all([
      overrideByLink(w.controller, [w.plan], w.token, alice, 'outage'),
      overrideByLink(w.controller, [w.plan], w.token, alice, 'outage'),
    ]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toMatchObject({ refusal: 'used' });
  });
});

describe('overrideRefusal', () => {
  const claims = (failoverId = 'f1'): ApprovalClaims =>
    ({
      iss: 'standby',
      aud: 'standby-approval',
      app: 'case-management',
      failoverId,
      decision: 'override',
      accept: ['fresh-backups'],
      recipient: TOPIC,
      iat: 0,
      exp: 0,
      kid: 'k',
      nonce: 'n1',
    }) as ApprovalClaims;
  const state = (failover: Failover | null, handledTriggers?: string[]) => ({
    ...INITIAL_APP_STATE,
    failover,
    ...(handledTriggers ? { handledTriggers } : {}),
  });
  const refusedF1 = () =>
    createFailover({
      id: 'f1',
      plan: approvalPlan(),
      trigger,
      at: t0,
      recoveryPoints: points,
      refusedBecause: 'stale',
    });

  it('lets a link act on the refused failover it names', () => {
    expect(overrideRefusal(state(refusedF1()), claims())).toBeUndefined();
  });

  it('refuses a link whose fact is recorded, in the handled triggers or as the current trigger', () => {
    const fact = overrideTrigger(claims()).eventId;
    expect(overrideRefusal(state(refusedF1(), [fact]), claims())?.refusal).toBe('used');
    const started = createFailover({
      id: 'f2',
      plan: approvalPlan(),
      trigger: overrideTrigger(claims()),
      at: t0,
      recoveryPoints: points,
    });
    expect(overrideRefusal(state(started), claims())?.refusal).toBe('used');
  });

  it('refuses a link when the app has no failover, without naming one', () => {
    expect(overrideRefusal(state(null), claims())).toEqual({
      refusal: 'not-current',
      reason:
        'this link overrides the refusal of failover f1, which is no longer the latest failover of case-management',
    });
  });

  it.each([
    ['waiting for approval', () => start(approvalPlan()), 'awaiting-approval'],
    ['restoring', () => start(), 'restoring'],
    [
      'aborted by an operator',
      () => run(start(), { type: 'abort', ...F1, at: t0, reason: 'operator' }),
      'aborted',
    ],
    [
      'aborted by a rejection',
      () =>
        run(start(approvalPlan()), {
          type: 'rejected',
          ...F1,
          at: t0,
          by: 'ops',
          authenticated: true,
          recipient: TOPIC,
          nonce: 'n',
        }),
      'aborted',
    ],
  ])('refuses a link naming a failover that was not refused at its start (%s)', (_, build, phase) => {
    expect(overrideRefusal(state(build()), claims())).toEqual({
      refusal: 'not-current',
      reason: `failover f1 was not refused at its start (it is ${phase}); there is nothing to override`,
    });
  });
});
