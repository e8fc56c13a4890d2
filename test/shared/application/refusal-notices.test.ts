import { describe, expect, it } from 'vitest';
import { listNotifications } from '#shared/application/failover-repository.ts';
import { sendRefusalNotices } from '#shared/application/refusal-notices.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { createFailover } from '#shared/domain/failover.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { alarm, refusedStale } from '../../support/approval-links.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan, t0, trigger } from '../../support/failovers.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

describe('sendRefusalNotices', () => {
  it('gives each recipient a single-use "fail over anyway" token for the refusing gates, expiring with the approval timeout', async () => {
    const w = await refusedStale();
    const notice = w.notifier.sent.find((n) => n.kind === 'failover-refused')!;
    expect(readUnverifiedClaims(notice.overrideToken!)).toMatchObject({
      decision: 'override',
      accept: ['fresh-backups'],
      failoverId: w.refusedId,
      recipient: 'sns:arn:aws:sns:eu-central-1:111122223333:dr-approvals',
      exp: Date.parse('2026-11-21T12:30:00Z') / 1000,
    });
    expect(notice.expiresAt).toBe('2026-11-21T12:30:00.000Z');
  });

  it('stores the notice without the token, with its nonce hash as evidence', async () => {
    const w = await refusedStale();
    const stored = await listNotifications(w.controller.store, w.plan.name);
    const token = w.notifier.sent[0]!.overrideToken!;
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]).toMatchObject({
      kind: 'failover-refused',
      tokenNonces: { override: expect.any(String) },
    });
  });

  it('sends no link when a gate that cannot be overridden refuses too', async () => {
    const w = engineWorld({ ages: { 'case-db': 7200, 'case-api': 'missing' } });
    const r = await requestFailover(w.controller(), approvalPlan(), alarm);
    expect(r.effect).toBe('refused');
    const notice = w.notifier.sent.find((n) => n.kind === 'failover-refused')!;
    expect(notice.overrideToken).toBeUndefined();
    expect(notice.text).toContain('names a gate that cannot be overridden');
  });
});

describe('sendRefusalNotices, each rule', () => {
  const refusal = 'fresh-backups: case-db newest point is 2h old (RPO 5m)';
  const refused = () =>
    createFailover({
      id: 'f1',
      plan: approvalPlan(),
      trigger,
      at: t0,
      recoveryPoints: {},
      refusedBecause: refusal,
    });
  const world = (store?: StateStore) => {
    const w = engineWorld();
    return { ...w, c: w.controller('controller-a', store ?? w.store) };
  };

  it('says why, what an override accepts and how to give one, with a link when every refusing gate may be overridden', async () => {
    const w = world();
    await sendRefusalNotices(w.c, refused(), ['fresh-backups', 'cooldown']);
    const [notice] = w.notifier.sent;
    expect(notice!.text).toBe(
      `Failover of case-management to eu-central-1 was REFUSED: ${refusal}. Triggered by arn:alarm. ` +
        'Only stale backups and the cooldown can be overridden, by a person, with a reason that is kept as evidence: ' +
        'standby failover --app case-management --accept-stale [--accept-cooldown] --reason "…"',
    );
    expect(readUnverifiedClaims(notice!.overrideToken!)).toMatchObject({
      accept: ['fresh-backups', 'cooldown'],
    });
  });

  it.each([
    ['no refusing gate named', []],
    ['a gate that cannot be overridden among them', ['fresh-backups', 'restorable']],
  ] as const)('sends no link with %s', async (_, gates) => {
    const w = world();
    await sendRefusalNotices(w.c, refused(), gates);
    const [notice] = w.notifier.sent;
    expect(notice!.overrideToken).toBeUndefined();
    expect(notice!.expiresAt).toBeUndefined();
    expect(notice!.text).toMatch(/--reason "…"\. This refusal names a gate that cannot be overridden\.$/);
    expect((await listNotifications(w.store, 'case-management'))[0]).not.toHaveProperty('tokenNonces');
  });

  it('sends no link once the approval timeout has passed since the refusal (30 min), and one just before', async () => {
    const late = world();
    late.clock.advance(30 * 60);
    await sendRefusalNotices(late.c, refused(), ['fresh-backups']);
    expect(late.notifier.sent[0]!.overrideToken).toBeUndefined();
    const inTime = world();
    inTime.clock.advance(30 * 60 - 1);
    await sendRefusalNotices(inTime.c, refused(), ['fresh-backups']);
    expect(inTime.notifier.sent[0]!.expiresAt).toBe('2026-11-21T12:30:00.000Z');
  });

  it('tells each recipient once, however often it runs', async () => {
    const w = world();
    const f = refused();
    await sendRefusalNotices(w.c, f, ['fresh-backups']);
    await sendRefusalNotices(w.c, f, ['fresh-backups']);
    expect(w.notifier.sent).toHaveLength(1);
  });

  it('leaves the record to a sender that recorded first, and fails on any other store error', async () => {
    const w = world();
    const f = refused();
    const racing = new InterleavingStore(w.store).at(
      'create',
      'notification#',
      1,
      () => sendRefusalNotices(w.controller('controller-b'), f, ['fresh-backups']),
      { when: 'before' },
    );
    await sendRefusalNotices(w.controller('controller-a', racing), f, ['fresh-backups']);
    expect(w.notifier.sent).toHaveLength(2);
    expect(await listNotifications(w.store, 'case-management')).toHaveLength(1);

    const other = world();
    const failing = new InterleavingStore(other.store).at('create', 'notification#', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(
      sendRefusalNotices(other.controller('controller-a', failing), f, ['fresh-backups']),
    ).rejects.toThrow('ProvisionedThroughputExceeded');
  });
});
