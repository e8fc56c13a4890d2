/**
 * Outbound events on an Event Grid custom topic: `PublishEvents` (`POST {topic}/api/events`,
 * api-version 2018-01-01, the Event Grid event schema of `Azure/azure-rest-api-specs`
 * `specification/eventgrid/data-plane/Microsoft.EventGrid/stable/2018-01-01/EventGrid.json`),
 * authenticated with the app's managed identity (scope `https://eventgrid.azure.net/.default`, role
 * *EventGrid Data Sender* on the topic) — no access key in any setting.
 *
 * Each event: `id` the evidence record's hash (consumers de-duplicate on it), `eventType` the detail
 * type, `subject` `standby/<app>`, `data` the detail with `eventId` (as on EventBridge), `dataVersion`
 * `1`. A batch stays under the topic's 1 MB request limit. Anything but 200 throws: the cursor of
 * `publishEvents` does not move, and the events are sent again.
 */
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { EVENT_SOURCE } from '#shared/domain/outbound-events.ts';
import type { EventPublisher, OutboundEvent } from '#shared/ports/event-publisher.ts';
import { BearerJsonPost } from './bearer-json-post.ts';

/** The data-plane API version of `PublishEvents`. */
export const EVENT_GRID_API_VERSION = '2018-01-01';
/** The AAD scope of Event Grid's data plane. */
export const EVENT_GRID_SCOPE = 'https://eventgrid.azure.net/.default';
/** The largest request body a custom topic accepts (1 MB). */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** One event in the Event Grid schema (`EventGridEvent` of the 2018-01-01 data-plane spec). */
export interface EventGridEvent {
  readonly id: string;
  readonly subject: string;
  readonly eventType: string;
  readonly eventTime: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly dataVersion: string;
}

/** What {@link EventGridPublisher} is built from. */
export interface EventGridPublisherOptions {
  /** The topic endpoint, e.g. `https://standby-events.northeurope-1.eventgrid.azure.net/api/events`. */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  /** The transport; Node's HTTPS by default. */
  readonly httpClient?: HttpClient;
}

/** The Event Grid event an outbound event becomes. */
export function eventGridEventOf(event: OutboundEvent): EventGridEvent {
  const app = typeof event.detail['app'] === 'string' ? event.detail['app'] : 'controller';
  return {
    id: event.id,
    subject: `${EVENT_SOURCE}/${app}`,
    eventType: event.detailType,
    eventTime: event.time,
    data: { eventId: event.id, ...event.detail },
    dataVersion: '1',
  };
}

/** Splits events into request bodies under {@link MAX_BATCH_BYTES}; an event alone over it is refused. */
export function batchesOf(events: readonly EventGridEvent[], maxBytes = MAX_BATCH_BYTES): EventGridEvent[][] {
  const batches: EventGridEvent[][] = [];
  let current: EventGridEvent[] = [];
  let size = 2; // the brackets
  for (const event of events) {
    const bytes = Buffer.byteLength(JSON.stringify(event)) + 1; // and its comma
    if (bytes + 2 > maxBytes)
      throw new RangeError(
        `event ${event.id} (${event.eventType}) is ${bytes} bytes; an Event Grid request holds at most ${maxBytes}`,
      );
    if (current.length > 0 && size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(event);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The {@link EventPublisher} of the Azure side. */
export class EventGridPublisher implements EventPublisher {
  readonly #post: BearerJsonPost;

  constructor(options: EventGridPublisherOptions) {
    const endpoint = new URL(options.endpoint);
    if (endpoint.protocol !== 'https:')
      throw new RangeError(
        `Event Grid topic endpoint must be https (tokens go only over TLS); got ${endpoint.origin}`,
      );
    endpoint.pathname = '/api/events';
    endpoint.search = `?api-version=${EVENT_GRID_API_VERSION}`;
    this.#post = new BearerJsonPost({
      url: endpoint.toString(),
      credential: options.credential,
      scope: EVENT_GRID_SCOPE,
      operation: 'eventgrid:PublishEvents',
      contentType: 'application/json; charset=utf-8',
      ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    });
  }

  async publish(events: readonly OutboundEvent[]): Promise<void> {
    for (const batch of batchesOf(events.map(eventGridEventOf))) {
      const { status, text } = await this.#post.post(batch);
      if (status !== 200)
        throw this.#post.refused(
          status,
          `HTTP ${status} for ${batch.length} event(s)${text ? `: ${text.slice(0, 300)}` : ''}`,
        );
    }
  }
}
