/**
 * Azure Function (HTTP): Azure Monitor action groups post alerts here in the common alert schema
 * (and Standby approvals may be posted too); every body goes through `handleEvent`.
 *
 * Answers: 200 with the outcomes; 400 when the body is not usable (not JSON, or every event in it was
 * rejected), with the outcomes saying why; 503 with `Retry-After` when the state store or a provider
 * failed, because action groups retry a webhook only on 408, 429, 503 and 504 (a 500 is not retried);
 * 500 for anything unexpected, which a retry would not fix.
 *
 * Authentication: `authLevel: 'function'` — the action group's webhook URL carries a function key.
 * Better, and what docs/deploy-azure.md recommends: App Service authentication (Entra ID) on the app,
 * and the action group's *secure webhook* (`useAadAuth`), so no key sits in a URL; the function key
 * still applies behind it.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import type { Controller } from '#shared/application/controller.ts';
import { handleEvent } from '#shared/application/handle-event.ts';
import { ErrorCode, StandbyError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { azureRuntime } from '../composition.ts';

/** What the events function needs from the composition root. */
export interface EventsRuntime {
  readonly plans: readonly RecoveryPlan[];
  readonly controller: Controller;
  readonly region: string;
}

/**
 * Failures a later delivery may not meet: the store or a provider was busy or down, or access not
 * there yet (role assignments take minutes to apply after a deploy). Dropping the alert instead would
 * lose it: action groups retry only 408, 429, 503 and 504.
 */
const RETRYABLE: ReadonlySet<string> = new Set([
  ErrorCode.Provider,
  ErrorCode.Throttled,
  ErrorCode.Conflict,
  ErrorCode.Unauthorized,
  ErrorCode.NotFound,
]);

/** The one place an Azure handler error becomes a response; the message stays in the log. */
export function errorResponse(error: unknown, context: InvocationContext): HttpResponseInit {
  const code = error instanceof StandbyError ? error.code : 'UNEXPECTED';
  context.error(`invocation failed (${code}): ${error instanceof Error ? error.message : String(error)}`);
  const retry = RETRYABLE.has(code);
  return {
    status: retry ? 503 : 500,
    ...(retry ? { headers: { 'retry-after': '30' } } : {}),
    jsonBody: { error: code, invocationId: context.invocationId },
  };
}

/** The events handler over a runtime loader (the real composition root, or fakes in tests). */
export function createEventsHandler(load: () => Promise<EventsRuntime>) {
  return async function events(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      const reason = 'the request body is not JSON; expected an Azure Monitor common-alert-schema alert';
      context.warn(reason);
      return { status: 400, jsonBody: { outcomes: [{ accepted: false, effect: 'rejected', reason }] } };
    }
    try {
      const { plans, controller, region } = await load();
      const outcomes = await handleEvent(body, {
        plans,
        controller,
        controllerRegion: region,
        actor: 'azure-event',
      });
      for (const o of outcomes) {
        if (o.accepted) context.log(`event ${o.effect}: ${o.reason}`);
        else context.warn(`event rejected: ${o.reason}`);
      }
      return { status: outcomes.every((o) => !o.accepted) ? 400 : 200, jsonBody: { outcomes } };
    } catch (error) {
      return errorResponse(error, context);
    }
  };
}

/** The named handler with the real composition root. */
export const events = createEventsHandler(azureRuntime);

app.http('events', { methods: ['POST'], authLevel: 'function', handler: events });
