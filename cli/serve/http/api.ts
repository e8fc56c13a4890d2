/**
 * The JSON endpoints of the local server. Each one translates the request, calls one operation of
 * the plane, and maps the result; bad input is an {@link HttpError} that changed nothing.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventOutcome } from '#shared/application/handle-event.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { breakBackup } from '../controls/break-backup.ts';
import { outageEvent } from '../controls/outage-event.ts';
import type { LocalPlane } from '../local-plane.ts';
import { HttpError, readJson, sendJson } from './request.ts';

/** `POST /events`: any raw event the clouds deliver, through the handlers' use case. */
export async function postEvents(plane: LocalPlane, request: IncomingMessage, response: ServerResponse) {
  const raw = await readJson(request);
  const outcomes = await plane.handleRaw(raw, 'serve');
  // Rejected (malformed, untrusted) or not an event of any kind Standby knows: nothing was changed.
  if (outcomes.every((o) => o.effect === 'rejected' || o.kind === 'other'))
    throw new HttpError(400, 'the event was not accepted; nothing was changed', {
      reasons: outcomes.map((o) => o.reason),
      outcomes,
    });
  sendJson(response, 200, { outcomes });
}

/** `GET /api/status`: the `standby status --json` document. */
export async function getStatus(plane: LocalPlane, _request: IncomingMessage, response: ServerResponse) {
  sendJson(response, 200, await plane.status());
}

/** `GET /api/evidence[?app=NAME]`: the `standby evidence --format json` document. */
export async function getEvidence(plane: LocalPlane, request: IncomingMessage, response: ServerResponse) {
  const app = new URL(request.url ?? '/', 'http://localhost').searchParams.get('app') ?? undefined;
  if (app !== undefined) plane.plan(app);
  sendJson(response, 200, await plane.evidence(app));
}

/**
 * `POST /api/apps/NAME/outage`: the app's trigger fires — its alarm event, built in the cloud's
 * shape, goes through the same path as `POST /events`.
 */
export async function postOutage(
  plane: LocalPlane,
  request: IncomingMessage,
  response: ServerResponse,
  app: string,
) {
  await readJson(request, true);
  const plan = plane.plan(app);
  const outcomes = await plane.handleRaw(outageEvent(plan, plane.cloud.clock.now()), 'serve-dashboard');
  sendJson(response, 200, { outcomes });
}

/** `POST /api/apps/NAME/drill`: requests a restore drill; the ticks carry it on. */
export async function postDrill(
  plane: LocalPlane,
  request: IncomingMessage,
  response: ServerResponse,
  app: string,
) {
  await readJson(request, true);
  const plan = plane.plan(app);
  const result = await plane.exclusive(async () => {
    const started = await requestDrill(plane.controller, plan, {
      kind: 'manual',
      ref: 'serve-dashboard',
      eventId: randomUUID(),
    });
    if (started.drillId) await plane.advanceNow();
    return started;
  });
  if (result.effect === 'refused' && !result.drillId)
    throw new HttpError(409, result.reason, { effect: result.effect });
  sendJson(response, result.effect === 'refused' ? 409 : 202, result);
}

/** `POST /api/apps/NAME/break-backup` (`{ "resource": NAME }` optional): the next backup fails. */
export async function postBreakBackup(
  plane: LocalPlane,
  request: IncomingMessage,
  response: ServerResponse,
  app: string,
) {
  const body = await readJson(request, true);
  const resource = (body as { resource?: unknown } | null)?.resource;
  if (resource !== undefined && typeof resource !== 'string')
    throw new HttpError(400, `resource must be a resource name (a string), got ${JSON.stringify(resource)}`);
  const plan = plane.plan(app);
  const broken = await plane.exclusive(async () => breakBackup(plane.cloud, plan, resource));
  const outcomes: EventOutcome[] = broken.event ? await plane.handleRaw(broken.event, 'serve-dashboard') : [];
  await plane.exclusive(() => plane.advanceNow());
  const { event: _event, ...rest } = broken;
  sendJson(response, 200, { ...rest, outcomes });
}
