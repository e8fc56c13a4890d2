import { describe, expect, it } from 'vitest';
import { decideApproval } from '#shared/application/decide-approval.ts';
import { appendEvidence, evidenceKeys, readChain } from '#shared/application/evidence-log.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { verifyEvidence } from '#shared/application/verify-evidence.ts';
import type { EvidenceDraft } from '#shared/domain/evidence.ts';
import type { ItemKey, StateStore } from '#shared/ports/state-store.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const draft = (ref: string, at = '2026-11-21T12:00:00.000Z'): EvidenceDraft => ({
  kind: 'audit',
  at,
  ref,
  data: { ref },
});
const trigger = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;

describe('appendEvidence', () => {
  it('appends records in order, each linked to the one before, and moves the head', async () => {
    const store = new InMemoryStateStore();
    await appendEvidence(store, 'a', [draft('x'), draft('y')]);
    await appendEvidence(store, 'a', [draft('z')]);
    const chain = (await readChain(store, 'a')).map((r) => r.value);
    expect(chain.map((r) => [r.seq, r.ref])).toEqual([
      [1, 'x'],
      [2, 'y'],
      [3, 'z'],
    ]);
    expect(chain[2]!.prev).toBe(chain[1]!.hash);
    expect((await store.get(evidenceKeys.head('a')))?.value).toEqual({ seq: 3, hash: chain[2]!.hash });
  });

  it('records a fact once, however often it is appended', async () => {
    const store = new InMemoryStateStore();
    await appendEvidence(store, 'a', [draft('x')]);
    expect(await appendEvidence(store, 'a', [draft('x'), draft('y')])).toHaveLength(1);
    expect((await readChain(store, 'a')).map((r) => r.value.ref)).toEqual(['x', 'y']);
  });

  it('never forks the chain when two writers append at once', async () => {
    const store = new InMemoryStateStore();
    await Promise.all([
      appendEvidence(store, 'a', [draft('a1'), draft('a2')]),
      appendEvidence(store, 'a', [draft('b1'), draft('b2')]),
      appendEvidence(store, 'a', [draft('c1')]),
    ]);
    const chain = await readChain(store, 'a');
    expect(chain).toHaveLength(5);
    expect(await verifyEvidence(store, 'a')).toEqual([{ ok: true, app: 'a', records: 5 }]);
  });

  it('lists every application with a chain for verification', async () => {
    const store = new InMemoryStateStore();
    await appendEvidence(store, 'a', [draft('x')]);
    await appendEvidence(store, 'b', [draft('x')]);
    expect((await verifyEvidence(store)).map((v) => [v.app, v.ok])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('verifies only the application asked for, even one without a chain', async () => {
    const store = new InMemoryStateStore();
    await appendEvidence(store, 'a', [draft('x')]);
    await appendEvidence(store, 'b', [draft('x'), draft('y')]);
    expect(await verifyEvidence(store, 'b')).toEqual([{ ok: true, app: 'b', records: 2 }]);
    expect((await verifyEvidence(store, 'c')).map((v) => v.app)).toEqual(['c']);
  });
});

describe('failover evidence', () => {
  it('puts every phase change of a failover on the chain, in order, with its time', async () => {
    const w = engineWorld();
    const plan = loadPlan();
    const c = w.controller();
    await requestFailover(c, plan, trigger);
    await w.drive(c, plan);
    const history = (await readAppState(w.store, plan.name)).failover!.history;
    const chain = (await readChain(w.store, plan.name)).map((r) => r.value);
    expect(chain.map((r) => [r.kind, r.data['phase'], r.at])).toEqual(
      history.map((h) => ['phase', h.phase, h.at]),
    );
    expect(chain[0]!.data['trigger']).toEqual(trigger);
  });

  it('catches up a phase change whose evidence write died, without recording any twice', async () => {
    const w = engineWorld();
    const plan = loadPlan();
    // Every evidence write fails during the request: the failover is claimed, its evidence is not.
    const flaky: StateStore = {
      get: (k) => w.store.get(k),
      query: (p, s) => w.store.query(p, s),
      update: (k, v, e, o) => w.store.update(k, v, e, o),
      create: async <T>(k: ItemKey, v: T) => {
        if (k.partition.startsWith('evidence')) throw new Error('store down');
        return w.store.create(k, v);
      },
    };
    await expect(requestFailover(w.controller('a', flaky), plan, trigger)).rejects.toThrow('store down');
    expect((await readAppState(w.store, plan.name)).failover?.phase).toBe('restoring');
    expect(await readChain(w.store, plan.name)).toEqual([]);
    await w.drive(w.controller(), plan);
    const phases = (await readChain(w.store, plan.name)).map((r) => r.value.data['phase']);
    expect(phases).toEqual(['restoring', 'validating', 'switching', 'completed']);
  });

  it.each([
    ['approve', 'restoring'],
    ['reject', 'aborted'],
  ] as const)(
    'records a decision (%s) with the authenticated approver, before the phase it caused',
    async (decision, phase) => {
      const w = engineWorld();
      const plan = loadPlan(
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
      const c = w.controller();
      await requestFailover(c, plan, trigger);
      const [request] = w.notifier.sent;
      const token = decision === 'approve' ? request!.approveToken! : request!.rejectToken!;
      expect((await decideApproval(c, [plan], token, { id: 'alice', authenticated: true })).ok).toBe(true);
      const chain = (await readChain(w.store, plan.name)).map((r) => r.value);
      expect(chain.map((r) => [r.kind, r.data['phase'] ?? r.data['decision']])).toEqual([
        ['phase', 'awaiting-approval'],
        ['approval', decision],
        ['phase', phase],
      ]);
      expect(chain[1]!.data).toMatchObject({ by: 'alice', authenticated: true });
      expect(JSON.stringify(chain)).not.toContain(token);
    },
  );

  it('records a break-glass override with who accepted which gates and why', async () => {
    const w = engineWorld({ ages: { 'case-db': 400 } });
    const plan = loadPlan();
    await requestFailover(w.controller(), plan, trigger, {
      by: 'bob',
      reason: 'region down, data loss accepted',
      accept: ['fresh-backups'],
    });
    const chain = (await readChain(w.store, plan.name)).map((r) => r.value);
    expect(chain.map((r) => r.kind)).toEqual(['phase', 'override']);
    expect(chain[1]!.data).toMatchObject({
      by: 'bob',
      reason: 'region down, data loss accepted',
      accepted: ['fresh-backups'],
    });
  });
});
