/**
 * Lambda: every event Standby reacts to — EventBridge events (alarm state changes, AWS Backup job,
 * copy, restore and recovery-point events, schedules), SNS-wrapped alarms and alarm actions that
 * invoke the function directly — goes through `handleEvent`. A rejected or ignored event is an
 * outcome, returned and logged; a store or provider failure throws, so Lambda retries the invocation
 * and then sends it to the on-failure destination (the dead-letter queue).
 */
import middy from '@middy/core';
import type { Logger } from 'pino';
import type { Controller } from '#shared/application/controller.ts';
import { type EventOutcome, handleEvent } from '#shared/application/handle-event.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { awsRuntime } from '../composition.ts';
import { invocation, logErrors, withRuntime } from './middleware.ts';

/** What the events function needs from the composition root. */
export interface EventsRuntime {
  readonly plans: readonly RecoveryPlan[];
  readonly controller: Controller;
  readonly region: string;
  /** SNS topics whose deliveries are trusted; events from any other topic are refused. */
  readonly trustedTopics: readonly string[];
  readonly logger: Logger;
}

/** The events handler over a runtime loader (the real composition root, or fakes in tests). */
export function createEventsHandler(load: () => Promise<EventsRuntime>) {
  return middy<unknown, { outcomes: EventOutcome[] }>()
    .use(withRuntime(load))
    .use(logErrors())
    .handler(async (event, context) => {
      const {
        runtime: { plans, controller, region, trustedTopics },
        log,
      } = invocation<EventsRuntime>(context);
      const outcomes = await handleEvent(event, {
        plans,
        controller,
        controllerRegion: region,
        trustedTopics,
        actor: 'aws-event',
      });
      for (const outcome of outcomes)
        log[outcome.accepted ? 'info' : 'warn']({ outcome }, `event ${outcome.effect}: ${outcome.reason}`);
      return { outcomes };
    });
}

/** The Lambda entry point (`events.handler`). */
export const handler = createEventsHandler(awsRuntime);
