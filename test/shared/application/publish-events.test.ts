import { describe, expect, it } from 'vitest';
import { advanceApp } from '#shared/application/advance-all.ts';
import { createController } from '#shared/application/controller.ts';
import { appendEvidence } from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { publishEvents } from '#shared/application/publish-events.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import type { EvidenceDraft } from '#shared/domain/evidence.ts';
import type { EventPublisher, OutboundEvent } from '#shared/ports/event-publisher.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

class RecordingPublisher implements EventPublisher {
  readonly sent: OutboundEvent[] = [];
  failNext = false;
  async publish(events: readonly OutboundEvent[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('PutEvents failed');
    }
    this.sent.push(...events);
  }
}

const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    for (const r of d.spec.resources as { name: string; drill?: unknown }[])
      r.drill = { metadata: { DBInstanceIdentifier: `${r.name}-drill` } };
    (d.spec.validate as { http: Record<string, unknown> }[])[0]!.http['drillUrl'] =
      'https://case-api.drill.example.com/health';
  }),
);

describe('publishEvents', () => {
  it('publishes failover state changes and the drill result once each, in order, after a failed publish too', async () => {
    const w = engineWorld();
    const publisher = new RecordingPublisher();
    const c = w.controller();
    await requestDrill(c, plan, { kind: 'manual', ref: 'cli', eventId: 'd1' });
    await w.drive(c, plan, 'drill');
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    await w.drive(c, plan);
    publisher.failNext = true;
    const deps = { store: w.store, events: publisher };
    await expect(publishEvents(deps, plan.name)).rejects.toThrow('PutEvents failed');
    await publishEvents(deps, plan.name);
    await publishEvents(deps, plan.name);
    expect(publisher.sent.map((e) => [e.detailType, e.detail['phase'] ?? e.detail['outcome']])).toEqual([
      ['Standby Drill Completed', 'completed'],
      ['Standby Failover State Change', 'restoring'],
      ['Standby Failover State Change', 'validating'],
      ['Standby Failover State Change', 'switching'],
      ['Standby Failover State Change', 'completed'],
    ]);
    expect(publisher.sent.at(-1)!.detail['level']).toBe('L5');
    expect(new Set(publisher.sent.map((e) => e.id)).size).toBe(5);
  });

  it('is run by the scheduled advance when the controller has a publisher', async () => {
    const w = engineWorld();
    const publisher = new RecordingPublisher();
    const c = createController({ ...w.controller(), approvalKey: Buffer.alloc(32, 7), events: publisher });
    await requestFailover(c, plan, { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' });
    await advanceApp(c, plan);
    expect(publisher.sent.map((e) => e.detail['phase'])).toEqual(['restoring']);
  });
});

describe('publishEvents, its cursor', () => {
  const audit = (at: string, status: string): EvidenceDraft => ({
    kind: 'audit',
    at,
    ref: `audit/${at}`,
    data: { reason: 'change', statuses: { 'case-db': status } },
  });
  const breach = (at: string) => ({
    detailType: 'Standby Freshness Breach',
    detail: { app: 'a', resources: [{ resource: 'case-db', status: 'breach' }] },
    time: at,
  });
  const counting = () => {
    const publisher = new RecordingPublisher();
    let calls = 0;
    const events: EventPublisher = {
      publish: async (e) => {
        calls += 1;
        await publisher.publish(e);
      },
    };
    return { publisher, events, calls: () => calls };
  };

  it('publishes nothing, calling nobody, when nothing is new', async () => {
    const store = new InMemoryStateStore();
    const p = counting();
    expect(await publishEvents({ store, events: p.events }, 'a')).toEqual([]);
    await appendEvidence(store, 'a', [audit('2026-11-21T12:00:00.000Z', 'breach')]);
    expect(await publishEvents({ store, events: p.events }, 'a')).toHaveLength(1);
    expect(await publishEvents({ store, events: p.events }, 'a')).toEqual([]);
    expect(p.calls()).toBe(1);
  });

  it('passes over records that publish nothing without calling the publisher, and never returns to them', async () => {
    const store = new InMemoryStateStore();
    const p = counting();
    const deps = { store, events: p.events };
    await appendEvidence(store, 'a', [audit('2026-11-21T12:00:00.000Z', 'ok')]);
    expect(await publishEvents(deps, 'a')).toEqual([]);
    expect(p.calls()).toBe(0);
    await appendEvidence(store, 'a', [audit('2026-11-21T12:05:00.000Z', 'breach')]);
    expect(await publishEvents(deps, 'a')).toMatchObject([breach('2026-11-21T12:05:00.000Z')]);
    await appendEvidence(store, 'a', [audit('2026-11-21T12:10:00.000Z', 'ok')]);
    await appendEvidence(store, 'a', [audit('2026-11-21T12:15:00.000Z', 'missing')]);
    expect((await publishEvents(deps, 'a')).map((e) => e.time)).toEqual(['2026-11-21T12:15:00.000Z']);
    expect(await publishEvents(deps, 'a')).toEqual([]);
    expect(p.publisher.sent.map((e) => e.time)).toEqual([
      '2026-11-21T12:05:00.000Z',
      '2026-11-21T12:15:00.000Z',
    ]);
    expect((await store.get(cursor('a')))?.value).toEqual({ seq: 4 });
  });

  it('leaves the cursor to a publisher that moved it first, having sent its batch all the same', async () => {
    const inner = new InMemoryStateStore();
    await appendEvidence(inner, 'a', [audit('2026-11-21T12:00:00.000Z', 'breach')]);
    const winner = new RecordingPublisher();
    const store = new InterleavingStore(inner).at(
      'create',
      'published',
      1,
      async () => {
        await publishEvents({ store: inner, events: winner }, 'a');
      },
      { when: 'before' },
    );
    const loser = new RecordingPublisher();
    expect(await publishEvents({ store, events: loser }, 'a')).toHaveLength(1);
    expect([winner.sent.length, loser.sent.length]).toEqual([1, 1]);
    expect((await inner.get(cursor('a')))?.value).toEqual({ seq: 1 });
  });

  it('fails on a store error other than a lost race, so the batch is published again', async () => {
    const inner = new InMemoryStateStore();
    await appendEvidence(inner, 'a', [audit('2026-11-21T12:00:00.000Z', 'breach')]);
    const store = new InterleavingStore(inner).at('create', 'published', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    const publisher = new RecordingPublisher();
    await expect(publishEvents({ store, events: publisher }, 'a')).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    expect(await publishEvents({ store, events: publisher }, 'a')).toHaveLength(1);
    expect(publisher.sent).toHaveLength(2);
  });
});

const cursor = (app: string) => ({ partition: `evidence#${app}`, sort: 'published' });
