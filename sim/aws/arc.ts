/**
 * Simulated Route 53 ARC cluster data plane (`route53-recovery-cluster`, awsJson1_0 protocol,
 * target prefix `ToggleCustomerAPI`): routing control states in `world.aws.routingControls`, items
 * `{ RoutingControlArn, RoutingControlState: On|Off, RoutingControlName?, ControlPanelArn? }`. Every
 * cluster endpoint answers from the same world, as the real cluster's endpoints share one state; an
 * endpoint outage is simulated with a fault on the operation.
 */
import type { HttpRequest } from '@smithy/protocol-http';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { type AwsServiceModule, errorResponse, jsonResponse, readBody } from './protocol.ts';

/** The `X-Amz-Target` prefix of the ARC cluster API. */
const TARGET_PREFIX = 'ToggleCustomerAPI.';
const STATES = new Set(['On', 'Off']);

/** The ARC cluster operations the simulation serves, as `route53-recovery-cluster:Operation`. */
export const ARC_OPERATIONS: readonly string[] = [
  'GetRoutingControlState',
  'UpdateRoutingControlState',
  'UpdateRoutingControlStates',
].map((operation) => `route53-recovery-cluster:${operation}`);

/** One state update, as in UpdateRoutingControlStateEntries. */
export interface RoutingControlUpdate {
  readonly RoutingControlArn?: unknown;
  readonly RoutingControlState?: unknown;
}

const validation = (message: string) => new SimulatedApiError('ValidationException', 400, message);

function control(cloud: SimulatedCloud, arn: unknown): Record<string, unknown> {
  if (typeof arn !== 'string' || arn === '') throw validation('RoutingControlArn is required');
  const found = cloud.world.aws.routingControls.find((c) => c['RoutingControlArn'] === arn);
  if (!found)
    throw new SimulatedApiError('ResourceNotFoundException', 404, `Routing control ${arn} not found`);
  return found;
}

/** GetRoutingControlState: the control's state, or ResourceNotFoundException. */
export function getRoutingControlState(cloud: SimulatedCloud, arn: unknown): Record<string, unknown> {
  const c = control(cloud, arn);
  return {
    RoutingControlArn: c['RoutingControlArn'],
    RoutingControlState: c['RoutingControlState'],
    ...(c['RoutingControlName'] !== undefined ? { RoutingControlName: c['RoutingControlName'] } : {}),
  };
}

/**
 * UpdateRoutingControlStates: checks every entry first (known control, On/Off, no control twice),
 * then sets them all, so the change is atomic as on the real cluster.
 */
export function updateRoutingControlStates(
  cloud: SimulatedCloud,
  entries: readonly RoutingControlUpdate[] | undefined,
): Record<string, never> {
  if (!Array.isArray(entries) || entries.length === 0)
    throw validation('UpdateRoutingControlStateEntries must name at least one routing control');
  const seen = new Set<unknown>();
  const updates = entries.map((entry) => {
    const c = control(cloud, entry.RoutingControlArn);
    if (!STATES.has(String(entry.RoutingControlState)))
      throw validation(
        `RoutingControlState of ${String(entry.RoutingControlArn)} is ${String(entry.RoutingControlState)}; expected On or Off`,
      );
    if (seen.has(entry.RoutingControlArn))
      throw validation(`Routing control ${String(entry.RoutingControlArn)} appears twice in one update`);
    seen.add(entry.RoutingControlArn);
    return { c, state: entry.RoutingControlState };
  });
  for (const { c, state } of updates) c['RoutingControlState'] = state;
  return {};
}

/** The simulated ARC cluster service for the AWS request handler's registry. */
export const arcService: AwsServiceModule = async (cloud, request: HttpRequest) => {
  const targetHeader = Object.keys(request.headers).find((k) => k.toLowerCase() === 'x-amz-target');
  const target = targetHeader ? (request.headers[targetHeader] ?? '') : '';
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  try {
    let body: Record<string, unknown>;
    try {
      const text = await readBody(request);
      body = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new SimulatedApiError('SerializationException', 400, 'The request body is not valid JSON');
    }
    const api = `route53-recovery-cluster:${operation}`;
    switch (operation) {
      case 'GetRoutingControlState':
        return jsonResponse(
          200,
          await cloud.call(api, () => getRoutingControlState(cloud, body['RoutingControlArn'])),
        );
      case 'UpdateRoutingControlState':
        return jsonResponse(
          200,
          await cloud.call(api, () =>
            updateRoutingControlStates(cloud, [
              {
                RoutingControlArn: body['RoutingControlArn'],
                RoutingControlState: body['RoutingControlState'],
              },
            ]),
          ),
        );
      case 'UpdateRoutingControlStates':
        return jsonResponse(
          200,
          await cloud.call(api, () =>
            updateRoutingControlStates(
              cloud,
              body['UpdateRoutingControlStateEntries'] as RoutingControlUpdate[] | undefined,
            ),
          ),
        );
      default:
        throw new SimulatedApiError(
          'UnknownOperationException',
          400,
          `The simulated route53-recovery-cluster service has no operation "${target}"`,
        );
    }
  } catch (error) {
    if (error instanceof SimulatedApiError) return errorResponse('awsJson1_0', error);
    throw error;
  }
};
