/**
 * Simulated Route 53 (restXml): `ListResourceRecordSets` and `ChangeResourceRecordSets` over
 * `world.aws.route53`. Bodies are read and written with the SDK's own XML shape serde and the
 * client's schemas, so what the simulation parses is exactly what the real client sends.
 *
 * Zones are `world.aws.route53.hostedZones` (`Id`, `Name`). A record set belongs to the zone its
 * `HostedZoneId` names (a world-only key, never answered), else to the zone with the longest name
 * that contains it. A change batch is validated change by change against the state the previous
 * changes leave, then the resulting zone is checked as a whole; any problem rejects the whole batch
 * with `InvalidChangeBatch`, as Route 53 does, and nothing changes.
 */
import { createHash } from 'node:crypto';
import {
  ChangeResourceRecordSetsRequest$,
  ChangeResourceRecordSetsResponse$,
  ListResourceRecordSetsResponse$,
} from '@aws-sdk/client-route-53';
import { XmlShapeDeserializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { type AwsServiceModule, errorResponse, QueryParams, readBody } from './protocol.ts';

type RecordSet = Record<string, unknown>;

/** One change of a batch, as the request carries it. */
export interface RecordChange {
  readonly Action?: string;
  readonly ResourceRecordSet?: RecordSet;
}

/** The serde settings the Route 53 client itself uses (AwsRestXmlProtocol with Route 53's namespace). */
const XML_SETTINGS = {
  timestampFormat: { useTrait: true, default: 5 as const },
  httpBindings: true,
  xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
  serviceNamespace: 'com.amazonaws.route53',
};

/** Route 53 answers at most this many record sets per page. */
const MAX_ITEMS = 300;
/** Route 53 accepts at most this many changes in one batch. */
const MAX_CHANGES = 1000;
/** Attributes that make a record set part of a routing policy (and so need a SetIdentifier). */
const POLICY_KEYS = [
  'Weight',
  'Failover',
  'Region',
  'GeoLocation',
  'MultiValueAnswer',
  'CidrRoutingConfig',
  'GeoProximityLocation',
] as const;

const fqdn = (name: unknown): string => {
  const text = String(name ?? '').toLowerCase();
  return text.endsWith('.') ? text : `${text}.`;
};
const zoneIdOf = (id: unknown): string => String(id ?? '').replace(/^\/hostedzone\//, '');

/** Route 53's listing order: name with its labels reversed (com.example.www.), then type, then identifier. */
function sortKey(r: RecordSet): [string, string, string] {
  const reversed = fqdn(r['Name']).split('.').filter(Boolean).reverse().join('.');
  return [reversed, String(r['Type'] ?? ''), String(r['SetIdentifier'] ?? '')];
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = (a[i] ?? '').localeCompare(b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

function describe(r: RecordSet): string {
  const id = r['SetIdentifier'] === undefined ? '' : `, set-identifier='${String(r['SetIdentifier'])}'`;
  return `[name='${fqdn(r['Name'])}', type='${String(r['Type'])}'${id}]`;
}

const sameKey = (a: RecordSet, b: RecordSet) =>
  fqdn(a['Name']) === fqdn(b['Name']) &&
  a['Type'] === b['Type'] &&
  (a['SetIdentifier'] ?? null) === (b['SetIdentifier'] ?? null);

/** The members of a ResourceRecordSet in the API model; world-only keys are not values. */
const RECORD_MEMBERS = [
  'Name',
  'Type',
  'SetIdentifier',
  'Weight',
  'Region',
  'GeoLocation',
  'Failover',
  'MultiValueAnswer',
  'TTL',
  'ResourceRecords',
  'AliasTarget',
  'HealthCheckId',
  'TrafficPolicyInstanceId',
  'CidrRoutingConfig',
  'GeoProximityLocation',
];

/** A record's values in one canonical form, for DELETE's "all the same values" rule. */
function canonical(r: RecordSet): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k, x]) => k !== 'HostedZoneId' && x !== undefined)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => [k, sorted(x)]),
      );
    return v;
  };
  const members = Object.fromEntries(RECORD_MEMBERS.map((k) => [k, r[k]]));
  return JSON.stringify(sorted({ ...members, Name: fqdn(r['Name']) }));
}

function hostedZone(cloud: SimulatedCloud, id: string): RecordSet {
  const zone = cloud.world.aws.route53.hostedZones.find((z) => zoneIdOf(z['Id']) === id);
  if (!zone) throw new SimulatedApiError('NoSuchHostedZone', 404, `No hosted zone found with ID: ${id}`);
  return zone;
}

/** The zone a world record belongs to: its `HostedZoneId`, else the longest zone name containing it. */
function zoneOfRecord(cloud: SimulatedCloud, r: RecordSet): string | undefined {
  if (r['HostedZoneId'] !== undefined) return zoneIdOf(r['HostedZoneId']);
  const name = fqdn(r['Name']);
  let best: RecordSet | undefined;
  for (const z of cloud.world.aws.route53.hostedZones) {
    const zoneName = fqdn(z['Name']);
    if ((name === zoneName || name.endsWith(`.${zoneName}`)) && zoneName.length > fqdn(best?.['Name']).length)
      best = z;
  }
  return best ? zoneIdOf(best['Id']) : undefined;
}

const invalidInput = (message: string) => new SimulatedApiError('InvalidInput', 400, message);

/**
 * ListResourceRecordSets: the zone's record sets in Route 53's order, from the start name/type/identifier
 * on, at most `maxItems`, with the next record's name/type/identifier when truncated.
 */
export function listResourceRecordSets(
  cloud: SimulatedCloud,
  zoneId: string,
  query: { name?: string; type?: string; identifier?: string; maxItems?: number },
): Record<string, unknown> {
  hostedZone(cloud, zoneId);
  if (query.type !== undefined && query.name === undefined)
    throw invalidInput('The input is not valid: StartRecordType needs StartRecordName');
  if (query.identifier !== undefined && query.type === undefined)
    throw invalidInput(
      'The input is not valid: StartRecordIdentifier needs StartRecordName and StartRecordType',
    );
  const maxItems = Math.min(query.maxItems ?? MAX_ITEMS, MAX_ITEMS);
  const records = cloud.world.aws.route53.resourceRecordSets
    .filter((r) => zoneOfRecord(cloud, r) === zoneId)
    .sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  const start =
    query.name === undefined
      ? undefined
      : sortKey({ Name: query.name, Type: query.type ?? '', SetIdentifier: query.identifier ?? '' });
  const from = start ? records.filter((r) => compareKeys(sortKey(r), start) >= 0) : records;
  const page = from.slice(0, maxItems);
  const next = from[maxItems];
  return {
    ResourceRecordSets: page.map(({ HostedZoneId: _, ...r }) => r),
    IsTruncated: next !== undefined,
    MaxItems: maxItems,
    ...(next
      ? {
          NextRecordName: next['Name'],
          NextRecordType: next['Type'],
          ...(next['SetIdentifier'] !== undefined ? { NextRecordIdentifier: next['SetIdentifier'] } : {}),
        }
      : {}),
  };
}

/** Problems of one record set on its own (fields Route 53 requires or forbids together). */
function recordProblems(r: RecordSet, zoneName: string): string[] {
  const problems: string[] = [];
  const name = fqdn(r['Name']);
  if (name !== zoneName && !name.endsWith(`.${zoneName}`))
    problems.push(`RRSet with DNS name ${name} is not permitted in zone ${zoneName}`);
  const policies = POLICY_KEYS.filter((k) => r[k] !== undefined);
  if (policies.length > 1)
    problems.push(`${describe(r)} combines routing policies ${policies.join(' and ')}; use one`);
  if (policies.length > 0 && r['SetIdentifier'] === undefined)
    problems.push(`${describe(r)} uses ${policies[0]} routing and needs a SetIdentifier`);
  if (policies.length === 0 && r['SetIdentifier'] !== undefined)
    problems.push(`${describe(r)} has a SetIdentifier but no routing policy`);
  const weight = r['Weight'];
  if (
    weight !== undefined &&
    (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 255)
  )
    problems.push(`${describe(r)} has Weight ${String(weight)}; expected an integer from 0 to 255`);
  if (r['Failover'] !== undefined && r['Failover'] !== 'PRIMARY' && r['Failover'] !== 'SECONDARY')
    problems.push(`${describe(r)} has Failover ${String(r['Failover'])}; expected PRIMARY or SECONDARY`);
  const hasRecords = Array.isArray(r['ResourceRecords']) && r['ResourceRecords'].length > 0;
  if (hasRecords === (r['AliasTarget'] !== undefined))
    problems.push(`${describe(r)} needs exactly one of ResourceRecords or AliasTarget`);
  if (hasRecords && r['TTL'] === undefined) problems.push(`${describe(r)} has ResourceRecords but no TTL`);
  return problems;
}

/** Problems of the zone after the batch, for each name and type the batch touched. */
function groupProblems(records: readonly RecordSet[], touched: readonly RecordSet[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of touched) {
    const key = `${fqdn(t['Name'])} ${String(t['Type'])}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = records.filter((r) => fqdn(r['Name']) === fqdn(t['Name']) && r['Type'] === t['Type']);
    if (group.length < 2) continue;
    const label = `[name='${fqdn(t['Name'])}', type='${String(t['Type'])}']`;
    const policies = new Set(group.map((r) => POLICY_KEYS.find((k) => r[k] !== undefined) ?? 'simple'));
    if (policies.size > 1)
      problems.push(`RRSets ${label} mix routing policies (${[...policies].join(', ')}); all must use one`);
    for (const role of ['PRIMARY', 'SECONDARY'])
      if (group.filter((r) => r['Failover'] === role).length > 1)
        problems.push(`RRSets ${label} have more than one ${role} failover record set`);
  }
  return problems;
}

/**
 * ChangeResourceRecordSets: applies the batch atomically to `world.aws.route53.resourceRecordSets`
 * (CREATE: must not exist; DELETE: must exist with the very same values; UPSERT: either), or rejects
 * the whole batch with InvalidChangeBatch listing every problem.
 */
export function changeResourceRecordSets(
  cloud: SimulatedCloud,
  zoneId: string,
  batch: { Changes?: readonly RecordChange[]; Comment?: string } | undefined,
): Record<string, unknown> {
  const zone = hostedZone(cloud, zoneId);
  const zoneName = fqdn(zone['Name']);
  const changes = batch?.Changes ?? [];
  if (changes.length === 0) throw invalidInput('The input is not valid: ChangeBatch.Changes is empty');
  if (changes.length > MAX_CHANGES)
    throw new SimulatedApiError(
      'InvalidChangeBatch',
      400,
      `A change batch has at most ${MAX_CHANGES} changes; got ${changes.length}`,
    );
  const all = cloud.world.aws.route53.resourceRecordSets;
  const others = all.filter((r) => zoneOfRecord(cloud, r) !== zoneId);
  let mine = all.filter((r) => zoneOfRecord(cloud, r) === zoneId);
  const problems: string[] = [];
  const touched: RecordSet[] = [];
  for (const [i, change] of changes.entries()) {
    const r = change.ResourceRecordSet;
    if (!r || r['Name'] === undefined || r['Type'] === undefined) {
      problems.push(`change ${i + 1} has no ResourceRecordSet with Name and Type`);
      continue;
    }
    touched.push(r);
    const existing = mine.find((m) => sameKey(m, r));
    if (change.Action === 'DELETE') {
      if (!existing) problems.push(`Tried to delete resource record set ${describe(r)} but it was not found`);
      else if (canonical(existing) !== canonical(r))
        problems.push(
          `Tried to delete resource record set ${describe(r)} but the values provided do not match the current values`,
        );
      else mine = mine.filter((m) => m !== existing);
      continue;
    }
    if (change.Action !== 'CREATE' && change.Action !== 'UPSERT') {
      problems.push(`change ${i + 1} has Action ${String(change.Action)}; expected CREATE, DELETE or UPSERT`);
      continue;
    }
    if (change.Action === 'CREATE' && existing) {
      problems.push(`Tried to create resource record set ${describe(r)} but it already exists`);
      continue;
    }
    const own = recordProblems(r, zoneName);
    problems.push(...own);
    if (own.length > 0) continue;
    // Stored with its zone, so a reloaded world keeps it there even where zone names overlap.
    const stored: RecordSet = { ...r, Name: fqdn(r['Name']), HostedZoneId: zoneId };
    mine = existing ? mine.map((m) => (m === existing ? stored : m)) : [...mine, stored];
  }
  if (problems.length === 0) problems.push(...groupProblems(mine, touched));
  if (problems.length > 0)
    throw new SimulatedApiError('InvalidChangeBatch', 400, problems.map((p) => `[${p}]`).join(', '));
  // All or nothing: the world's list is replaced in one step, after every check passed.
  all.splice(0, all.length, ...others, ...mine);
  const submittedAt = cloud.clock.now();
  const id = createHash('sha256')
    .update(`${zoneId}|${submittedAt.toISOString()}|${JSON.stringify(changes)}`)
    .digest('hex')
    .slice(0, 14)
    .toUpperCase();
  return {
    ChangeInfo: {
      Id: `/change/C${id}`,
      // Route 53 answers PENDING and reaches INSYNC within about a minute; the simulation keeps no
      // propagation state, so callers must not wait on it.
      Status: 'PENDING',
      SubmittedAt: submittedAt,
      ...(batch?.Comment ? { Comment: batch.Comment } : {}),
    },
  };
}

function xmlResponse(schema: Parameters<XmlShapeSerializer['write']>[0], output: unknown): HttpResponse {
  const serializer = new XmlShapeSerializer(XML_SETTINGS);
  serializer.write(schema, output);
  const xml = serializer.flush();
  return new HttpResponse({
    statusCode: 200,
    headers: { 'content-type': 'text/xml' },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${String(xml)}`, 'utf8'),
  });
}

/** The Route 53 operations the simulation serves (fault and limit names). */
export const ROUTE53_OPERATIONS: readonly string[] = [
  'route53:ListResourceRecordSets',
  'route53:ChangeResourceRecordSets',
];

const RRSET_PATH = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/;

/** The simulated Route 53 service for the AWS request handler's registry. */
export const route53Service: AwsServiceModule = async (cloud, request: HttpRequest) => {
  const match = RRSET_PATH.exec(request.path);
  const method = request.method.toUpperCase();
  try {
    if (match && method === 'GET') {
      const zoneId = zoneIdOf(decodeURIComponent(match[1]!));
      const query = new QueryParams(request.query);
      const params = {
        name: query.string('name'),
        type: query.string('type'),
        identifier: query.string('identifier'),
        maxItems: query.int('maxitems', { min: 1, max: Number.MAX_SAFE_INTEGER }),
      };
      const output = await cloud.call('route53:ListResourceRecordSets', () =>
        listResourceRecordSets(cloud, zoneId, {
          ...(params.name !== undefined ? { name: params.name } : {}),
          ...(params.type !== undefined ? { type: params.type } : {}),
          ...(params.identifier !== undefined ? { identifier: params.identifier } : {}),
          ...(params.maxItems !== undefined ? { maxItems: params.maxItems } : {}),
        }),
      );
      return xmlResponse(ListResourceRecordSetsResponse$, output);
    }
    if (match && method === 'POST') {
      const zoneId = zoneIdOf(decodeURIComponent(match[1]!));
      const text = await readBody(request);
      const output = await cloud.call('route53:ChangeResourceRecordSets', () => {
        let input: { ChangeBatch?: { Changes?: RecordChange[]; Comment?: string } };
        try {
          input = new XmlShapeDeserializer(XML_SETTINGS).read(ChangeResourceRecordSetsRequest$, text);
        } catch (error) {
          throw invalidInput(`The XML document is not a ChangeResourceRecordSetsRequest: ${String(error)}`);
        }
        return changeResourceRecordSets(cloud, zoneId, input.ChangeBatch);
      });
      return xmlResponse(ChangeResourceRecordSetsResponse$, output);
    }
    throw new SimulatedApiError(
      'UnknownOperationException',
      404,
      `The simulated route53 service has no operation for ${request.method} ${request.path}`,
    );
  } catch (error) {
    if (error instanceof SimulatedApiError) return errorResponse('restXml', error);
    throw error;
  }
};
