import { describe, expect, it } from 'vitest';
import { sendApprovalRequests } from '#shared/application/approval-requests.ts';
import type { Controller } from '#shared/application/controller.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { sendRefusalNotices } from '#shared/application/refusal-notices.ts';
import { keyring, nonceOf, readUnverifiedClaims } from '#shared/domain/approval-token.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { StoredNotification } from '#shared/ports/notifier.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { approvalPlan, start, startDrill, t0 } from '../../support/failovers.ts';
import { RecordingNotifier } from '../../support/fake-ports.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:dr-approvals';
const TEAMS = 'env:TEAMS_WEBHOOK_URL';

/** The approval plan with a second target (Teams): one request each. */
const twoTargets = () =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      d.spec.failover = {
        mode: 'approval',
        approval: { notify: [{ sns: TOPIC }, { teams: { webhookUrl: TEAMS } }], timeout: '30m' },
      };
    }),
  );

/** The notifications on record, as stored. */
const records = async (store: StateStore) =>
  (await store.query<StoredNotification>('app#case-management', 'notification#')).map((i) => i.value);

/** The ports sendApprovalRequests uses, counting how often the signing keys are asked for. */
function ports(store: StateStore = new InMemoryStateStore()) {
  const notifier = new RecordingNotifier();
  let keyLoads = 0;
  const controller: Pick<Controller, 'store' | 'notifier' | 'approvalKeys' | 'clock'> = {
    store,
    notifier,
    clock: new ManualClock(t0),
    approvalKeys: async () => {
      keyLoads += 1;
      return keyring(Buffer.alloc(32, 7));
    },
  };
  return { controller, notifier, store, keyLoads: () => keyLoads };
}

describe('sendApprovalRequests', () => {
  it('sends each target one request with its own approve and reject tokens, and the question in words', async () => {
    const p = ports();
    const failover = start(twoTargets());
    await sendApprovalRequests(p.controller, failover);
    expect(p.notifier.sent.map((n) => [n.channel, n.target, n.kind, n.failoverId, n.expiresAt])).toEqual([
      ['sns', TOPIC, 'approval-request', 'f1', '2026-11-21T12:30:00.000Z'],
      ['teams', TEAMS, 'approval-request', 'f1', '2026-11-21T12:30:00.000Z'],
    ]);
    expect(p.notifier.sent[0]!.text).toBe(
      'Fail over case-management to eu-central-1? Triggered by arn:alarm. Expires 2026-11-21T12:30:00.000Z (then: abort).',
    );
    const [sns, teams] = p.notifier.sent;
    expect([
      readUnverifiedClaims(sns!.approveToken!),
      readUnverifiedClaims(teams!.rejectToken!),
    ]).toMatchObject([
      {
        decision: 'approve',
        recipient: `sns:${TOPIC}`,
        failoverId: 'f1',
        exp: Date.parse('2026-11-21T12:30:00Z') / 1000,
      },
      { decision: 'reject', recipient: `teams:${TEAMS}`, failoverId: 'f1' },
    ]);
  });

  it('records each request without its tokens, with the hashes of their nonces', async () => {
    const p = ports();
    await sendApprovalRequests(p.controller, start(twoTargets()));
    const stored = await records(p.store);
    expect(stored.map((n) => [n.recipient, n.tokenNonces, n.delivered])).toEqual(
      p.notifier.sent.map((n) => [
        `${n.channel}:${n.target}`,
        { approve: nonceOf(n.approveToken!), reject: nonceOf(n.rejectToken!) },
        true,
      ]),
    );
    for (const n of p.notifier.sent) {
      expect(JSON.stringify(stored)).not.toContain(n.approveToken);
      expect(JSON.stringify(stored)).not.toContain(n.rejectToken);
    }
  });

  it('asks each target once, however often it runs, and needs no key when nothing is missing', async () => {
    const p = ports();
    const failover = start(twoTargets());
    await sendApprovalRequests(p.controller, failover);
    await sendApprovalRequests(p.controller, failover);
    expect(p.notifier.sent).toHaveLength(2);
    expect(p.keyLoads()).toBe(1);
  });

  it('asks nobody for a failover that waits for no approval (a drill of an approval plan)', async () => {
    const p = ports();
    await sendApprovalRequests(p.controller, startDrill(approvalPlan()));
    expect(p.notifier.sent).toEqual([]);
    expect(p.keyLoads()).toBe(0);
  });

  it('leaves the record to a sender that recorded first, having sent all the same (at least once)', async () => {
    const inner = new InMemoryStateStore();
    const failover = start(approvalPlan());
    const first = ports(inner);
    const store = new InterleavingStore(inner).at(
      'create',
      'notification#',
      1,
      () => sendApprovalRequests(first.controller, failover),
      { when: 'before' },
    );
    const second = ports(store);
    await sendApprovalRequests(second.controller, failover);
    expect([first.notifier.sent.length, second.notifier.sent.length]).toEqual([1, 1]);
    const stored = await records(inner);
    expect(stored.map((n) => n.tokenNonces?.['approve'])).toEqual([
      nonceOf(first.notifier.sent[0]!.approveToken!),
    ]);
  });

  it('fails on a store error other than a lost race, so the request is sent again', async () => {
    const inner = new InMemoryStateStore();
    const store = new InterleavingStore(inner).at('create', 'notification#', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    const p = ports(store);
    const failover = start(approvalPlan());
    await expect(sendApprovalRequests(p.controller, failover)).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    await sendApprovalRequests(p.controller, failover);
    expect(p.notifier.sent).toHaveLength(2);
    expect(await records(inner)).toHaveLength(1);
  });
});

describe('notices of two failovers started in the same millisecond', () => {
  it('sends the approval request of the second after the refusal notice of the first (their records do not collide)', async () => {
    const p = ports();
    const plan = twoTargets();
    await sendRefusalNotices(p.controller, start(plan, 'f1'), ['fresh-backups']);
    await sendApprovalRequests(p.controller, start(plan, 'f2'));
    expect(p.notifier.sent.map((n) => [n.failoverId, n.kind, n.channel])).toEqual([
      ['f1', 'failover-refused', 'sns'],
      ['f1', 'failover-refused', 'teams'],
      ['f2', 'approval-request', 'sns'],
      ['f2', 'approval-request', 'teams'],
    ]);
    expect(await records(p.store)).toHaveLength(4);
  });
});
