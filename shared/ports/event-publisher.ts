/**
 * Events Standby sends out for users' own automation (EventBridge on AWS, an Event Grid custom topic
 * on Azure). Delivery is at least once: consumers de-duplicate on `id`.
 */

/** One outbound event. `detailType` is one of `OUTBOUND_DETAIL_TYPES` (`shared/domain/outbound-events.ts`). */
export interface OutboundEvent {
  /** Stable per fact (the evidence record's hash): the same fact published twice has the same id. */
  readonly id: string;
  readonly detailType: string;
  readonly time: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Publishes events; throws when any of them was not accepted (the caller publishes them again). */
export interface EventPublisher {
  publish(events: readonly OutboundEvent[]): Promise<void>;
}
