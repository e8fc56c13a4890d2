/**
 * Schedules firing: an EventBridge scheduled rule (`source: aws.events`) or EventBridge Scheduler
 * (`aws.scheduler`), both delivered as detail-type "Scheduled Event".
 */
import { type EventBridgeDecoder, notActedOn } from './envelope.ts';
import type { OtherEvent, ScheduleEvent } from './types.ts';

/** The detail-type of a schedule firing, from either source. */
export const SCHEDULE_DETAIL_TYPE = 'Scheduled Event';

/** Decodes a "Scheduled Event"; any other detail-type from the same sources is kind `other`. */
export const decodeScheduledEvent: EventBridgeDecoder<ScheduleEvent | OtherEvent> = (e, base) => {
  if (e['detail-type'] !== SCHEDULE_DETAIL_TYPE) return notActedOn(e, base);
  const arn = e.resources[0];
  return {
    ...base,
    accepted: true,
    kind: 'schedule',
    // One firing of one schedule: the schedule and the time it fired for.
    dedupKey: `schedule:${arn ?? e.id}@${base.occurredAt.toISOString()}`,
    ...(arn ? { scheduleArn: arn } : {}),
  };
};
