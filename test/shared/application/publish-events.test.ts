import { describe, expect, it } from 'vitest';
import { advanceApp } from '#shared/application/advance-all.ts';
import { createController } from '#shared/application/controller.ts';
import { publishEvents } from '#shared/application/publish-events.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import type { EventPublisher, OutboundEvent } from '#shared/ports/event-publisher.ts';
import { engineWorld } from '../../support/engine-world.ts';
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
