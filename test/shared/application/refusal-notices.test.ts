import { describe, expect, it } from 'vitest';
import { listNotifications } from '#shared/application/failover-repository.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { alarm, refusedStale } from '../../support/approval-links.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { approvalPlan } from '../../support/failovers.ts';

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
