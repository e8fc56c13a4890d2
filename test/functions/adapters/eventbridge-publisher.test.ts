import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '#functions/adapters/eventbridge-publisher.ts';
import type { OutboundEvent } from '#shared/ports/event-publisher.ts';

const events = mockClient(EventBridgeClient);
const event = (n: number): OutboundEvent => ({
  id: `h${n}`,
  detailType: 'Standby Failover State Change',
  time: '2026-11-21T12:00:00.000Z',
  detail: { app: 'case-management', phase: 'restoring' },
});

beforeEach(() => events.reset());

describe('EventBridgePublisher', () => {
  it('sends batches of at most 10 entries, source standby, with the event id in the detail', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    await new EventBridgePublisher({ client: new EventBridgeClient({}), eventBusName: 'dr' }).publish(
      Array.from({ length: 23 }, (_, i) => event(i)),
    );
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    const first = events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(first).toHaveLength(10);
    expect(first[0]).toMatchObject({
      Source: 'standby',
      DetailType: 'Standby Failover State Change',
      EventBusName: 'dr',
      Detail: JSON.stringify({ eventId: 'h0', app: 'case-management', phase: 'restoring' }),
    });
  });

  it('throws naming the failed entries, so the batch is sent again', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'e' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
    });
    await expect(
      new EventBridgePublisher({ client: new EventBridgeClient({}) }).publish([event(1), event(2)]),
    ).rejects.toThrow('events:PutEvents: 1 of 2 event(s) not accepted: ThrottlingException slow down');
  });
});
