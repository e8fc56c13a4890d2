/**
 * Simulated Traffic Manager (Microsoft.Network/trafficManagerProfiles, API 2022-04-01), served from
 * `world.azure.trafficManagerEndpoints`: each item is an endpoint as in a profile's
 * `properties.endpoints[]` (`id`, `name`, `type`, `properties: { endpointStatus, priority, weight, target, ... }`).
 *
 * Two fields are the simulation's own and never sent on the wire: `profileId` (the profile the
 * endpoint belongs to; default: its `id` without the last `/{type}/{name}`) and `trafficRoutingMethod`
 * (the profile's method; default `Priority`, the method of DR profiles; the first endpoint of a
 * profile that gives it wins). A profile exists when at least one endpoint belongs to it.
 *
 * `Endpoints_Update` (PATCH) merges `properties`, refuses an unknown status or a priority outside
 * 1–1000 or already used by another endpoint of the profile (400, as the service does), and keeps
 * `endpointMonitorStatus` in step (`Disabled` when disabled, `Online` when enabled).
 */
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import {
  type ArmResponse,
  type ArmRoute,
  type ArmRouteContext,
  armError,
  resourceNotFound,
} from './http-client.ts';

type Item = Record<string, unknown>;

const PROFILE =
  '^/subscriptions/[^/]+/resourcegroups/([^/]+)/providers/microsoft\\.network/trafficmanagerprofiles/([^/]+)';
const ENDPOINT = `${PROFILE}/(azureendpoints|externalendpoints|nestedendpoints)/([^/]+)$`;
const PROFILE_TYPE = 'Microsoft.Network/trafficManagerProfiles';

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');

function profileIdOf(endpoint: Item): string {
  if (typeof endpoint['profileId'] === 'string') return normalizeAzureId(endpoint['profileId']);
  return idOf(endpoint).split('/').slice(0, -2).join('/');
}

function endpointsOf(cloud: SimulatedCloud, profilePath: string): Item[] {
  return cloud.world.azure.trafficManagerEndpoints.filter((e) => profileIdOf(e) === profilePath);
}

/** The endpoint as the service answers it: without the simulation's own fields. */
function wire(endpoint: Item): Item {
  const { profileId: _profile, trafficRoutingMethod: _method, ...rest } = endpoint;
  return rest;
}

function profilePathOf(context: ArmRouteContext): string {
  return /^.*?\/trafficmanagerprofiles\/[^/]+/.exec(context.request.path)?.[0] ?? context.request.path;
}

function getProfile(context: ArmRouteContext): ArmResponse {
  const { cloud, request, match } = context;
  const endpoints = endpointsOf(cloud, request.path);
  if (endpoints.length === 0) return resourceNotFound(PROFILE_TYPE, match[2] ?? '', match[1] ?? '');
  const name = decodeURIComponent(request.url.pathname.replace(/\/+$/, '').split('/').pop() ?? '');
  const method = String(
    endpoints.find((e) => e['trafficRoutingMethod'])?.['trafficRoutingMethod'] ?? 'Priority',
  );
  const statusOf = (e: Item) => String((e['properties'] as Item | undefined)?.['endpointStatus'] ?? '');
  return {
    status: 200,
    body: {
      id: request.url.pathname,
      name,
      type: PROFILE_TYPE,
      location: 'global',
      tags: {},
      properties: {
        profileStatus: 'Enabled',
        trafficRoutingMethod: method,
        dnsConfig: { relativeName: name, fqdn: `${name}.trafficmanager.net`, ttl: 60 },
        monitorConfig: {
          profileMonitorStatus: endpoints.some((e) => statusOf(e) === 'Enabled') ? 'Online' : 'Inactive',
          protocol: 'HTTPS',
          port: 443,
          path: '/',
          intervalInSeconds: 30,
          timeoutInSeconds: 10,
          toleratedNumberOfFailures: 3,
        },
        endpoints: endpoints.map(wire),
        trafficViewEnrollmentStatus: 'Disabled',
        maxReturn: 0,
      },
    },
  };
}

function findEndpoint(context: ArmRouteContext): Item | undefined {
  return endpointsOf(context.cloud, profilePathOf(context)).find((e) => idOf(e) === context.request.path);
}

function updateEndpoint(context: ArmRouteContext): ArmResponse {
  const endpoint = findEndpoint(context);
  if (!endpoint) return endpointNotFound(context);
  const patch = ((context.request.body ?? {}) as Item)['properties'] as Item | undefined;
  if (!patch || typeof patch !== 'object')
    return armError(400, 'BadRequest', 'The request body must be an endpoint with a properties object.');
  const status = patch['endpointStatus'];
  if (status !== undefined && status !== 'Enabled' && status !== 'Disabled')
    return armError(
      400,
      'BadRequest',
      `endpointStatus must be Enabled or Disabled; got ${JSON.stringify(status)}.`,
    );
  const priority = patch['priority'];
  if (priority !== undefined) {
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 1000)
      return armError(
        400,
        'BadRequest',
        `Endpoint priority must be an integer from 1 to 1000; got ${JSON.stringify(priority)}.`,
      );
    const taken = endpointsOf(context.cloud, profilePathOf(context)).find(
      (e) => e !== endpoint && (e['properties'] as Item | undefined)?.['priority'] === priority,
    );
    if (taken)
      return armError(
        400,
        'BadRequest',
        `Endpoint priority ${priority} is already used by endpoint '${String(taken['name'])}'; priorities must be unique within a profile.`,
      );
  }
  const merged: Item = { ...((endpoint['properties'] ?? {}) as Item), ...patch };
  merged['endpointMonitorStatus'] = merged['endpointStatus'] === 'Disabled' ? 'Disabled' : 'Online';
  endpoint['properties'] = merged;
  return { status: 200, body: wire(endpoint) };
}

function endpointNotFound(context: ArmRouteContext): ArmResponse {
  const [, resourceGroup = '', profile = '', type = '', name = ''] = context.match;
  return resourceNotFound(`${PROFILE_TYPE}/${profile}/${type}`, name, resourceGroup);
}

/** The Traffic Manager operations the simulation serves. */
export const trafficManagerRoutes: readonly ArmRoute[] = [
  { method: 'GET', path: new RegExp(`${PROFILE}$`), api: 'network:Profiles_Get', handle: getProfile },
  {
    method: 'GET',
    path: new RegExp(ENDPOINT),
    api: 'network:Endpoints_Get',
    handle: (context) => {
      const endpoint = findEndpoint(context);
      return endpoint ? { status: 200, body: wire(endpoint) } : endpointNotFound(context);
    },
  },
  { method: 'PATCH', path: new RegExp(ENDPOINT), api: 'network:Endpoints_Update', handle: updateEndpoint },
];
