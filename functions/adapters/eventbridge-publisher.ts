/**
 * Outbound events on EventBridge: `PutEvents` in batches of 10 (the API's limit per request), source
 * `standby`, the event's id in the detail (`eventId`) for consumers to de-duplicate on. A batch with any
 * failed entry throws: the cursor of `publishEvents` does not move, and the batch is sent again.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ProviderError } from '#shared/domain/errors.ts';
import { EVENT_SOURCE } from '#shared/domain/outbound-events.ts';
import type { EventPublisher, OutboundEvent } from '#shared/ports/event-publisher.ts';

/** Entries one PutEvents request may carry. */
const MAX_ENTRIES = 10;

/** What {@link EventBridgePublisher} is built from. */
export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  /** The bus name or ARN; `default` when not set. */
  readonly eventBusName?: string;
}

/** The {@link EventPublisher} of the AWS side. */
export class EventBridgePublisher implements EventPublisher {
  constructor(private readonly options: EventBridgePublisherOptions) {}

  async publish(events: readonly OutboundEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += MAX_ENTRIES) {
      const batch = events.slice(i, i + MAX_ENTRIES);
      const out = await this.options.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            Source: EVENT_SOURCE,
            DetailType: e.detailType,
            Time: new Date(e.time),
            Detail: JSON.stringify({ eventId: e.id, ...e.detail }),
            EventBusName: this.options.eventBusName ?? 'default',
          })),
        }),
      );
      const failed = (out.Entries ?? []).filter((entry) => entry.ErrorCode);
      if ((out.FailedEntryCount ?? 0) > 0 || failed.length > 0)
        throw new ProviderError(
          'events:PutEvents',
          `${out.FailedEntryCount ?? failed.length} of ${batch.length} event(s) not accepted: ${failed
            .map((f) => `${f.ErrorCode} ${f.ErrorMessage ?? ''}`.trim())
            .join('; ')}`,
        );
    }
  }
}
