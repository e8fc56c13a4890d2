/**
 * Simulated Azure DNS record sets (Microsoft.Network/dnsZones, API 2018-05-01), served from
 * `world.azure.dnsRecordSets`: each item is a `RecordSets_Get` body (`id`, `name`, `type`, `etag`,
 * `properties: { TTL, CNAMERecord | ARecords | AAAARecords, metadata, ... }`), found by its `id`.
 *
 * `RecordSets_CreateOrUpdate` (PUT) honours `If-Match` (412 `PreconditionFailed` when the etag is
 * not the stored one) and `If-None-Match: *` (412 when the set exists), replaces `properties` and
 * gives the set a new etag, as the service does.
 */
import { randomUUID } from 'node:crypto';
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import { type ArmResponse, type ArmRoute, type ArmRouteContext, armError } from './http-client.ts';

type Item = Record<string, unknown>;

const RECORD_SET =
  '^/subscriptions/[^/]+/resourcegroups/([^/]+)/providers/microsoft\\.network/dnszones/([^/]+)/(a|aaaa|caa|cname|mx|ns|ptr|soa|srv|txt)/([^/]+)$';

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');

function find(cloud: SimulatedCloud, path: string): Item | undefined {
  return cloud.world.azure.dnsRecordSets.find((r) => idOf(r) === path);
}

function notFound(context: ArmRouteContext): ArmResponse {
  const [, , zone = '', type = '', name = ''] = context.match;
  return armError(
    404,
    'NotFound',
    `The resource record '${name}' of type '${type.toUpperCase()}' does not exist in zone '${zone}'.`,
  );
}

function put(context: ArmRouteContext): ArmResponse {
  const { cloud, request, match } = context;
  const existing = find(cloud, request.path);
  const ifMatch = request.headers.get('if-match');
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifMatch && ifMatch !== '*' && ifMatch !== existing?.['etag'])
    return armError(
      412,
      'PreconditionFailed',
      'The condition specified using HTTP conditional header(s) is not met.',
    );
  if (ifMatch === '*' && !existing)
    return armError(412, 'PreconditionFailed', 'The record set does not exist; If-Match: * requires one.');
  if (ifNoneMatch === '*' && existing)
    return armError(
      412,
      'PreconditionFailed',
      'The record set exists; If-None-Match: * refuses to overwrite it.',
    );
  const properties = ((request.body ?? {}) as Item)['properties'];
  if (!properties || typeof properties !== 'object')
    return armError(400, 'BadRequest', 'The request body must be a record set with a properties object.');
  const [, , zone = '', type = '', name = ''] = match;
  const segments = request.url.pathname
    .replace(/\/+$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  const fqdn = `${name === '@' ? '' : `${segments.at(-1)}.`}${segments.at(-3) ?? zone}.`;
  const next: Item = {
    id: existing?.['id'] ?? segments.join('/'),
    name: existing?.['name'] ?? segments.at(-1),
    type: existing?.['type'] ?? `Microsoft.Network/dnszones/${type.toUpperCase()}`,
    etag: randomUUID(),
    properties: { ...(properties as Item), fqdn, provisioningState: 'Succeeded' },
  };
  if (existing) {
    for (const key of Object.keys(existing)) delete existing[key];
    Object.assign(existing, next);
  } else cloud.world.azure.dnsRecordSets.push(next);
  return { status: existing ? 200 : 201, body: next };
}

/** The Azure DNS record-set operations the simulation serves. */
export const dnsRoutes: readonly ArmRoute[] = [
  {
    method: 'GET',
    path: new RegExp(RECORD_SET),
    api: 'network:RecordSets_Get',
    handle: (context) => {
      const found = find(context.cloud, context.request.path);
      return found ? { status: 200, body: found } : notFound(context);
    },
  },
  { method: 'PUT', path: new RegExp(RECORD_SET), api: 'network:RecordSets_CreateOrUpdate', handle: put },
];
