/**
 * Switches traffic by rewriting one Azure DNS record set (Microsoft.Network/dnsZones, REST API
 * 2018-05-01): a CNAME to another host name, or A/AAAA records to other addresses.
 *
 * A switch is one conditional PUT (`If-Match: <etag>` of the set just read), so traffic is never
 * pointed at nothing and a concurrent edit is never overwritten: a 412 means someone else changed the
 * set, so it is read again and the switch retried once; a second 412 is a {@link ConflictError}.
 * The value the record had before the first switch to recovery is kept in the record's metadata
 * (`standbyPrimaryTarget`), so switching back knows where the primary was.
 */

import { isIP } from 'node:net';
import type { Client } from '@azure-rest/core-client';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import { parseAzureId } from '#shared/domain/identifiers.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { ActiveSite, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import { type ArmConnectionOptions, armBody, armPath, createArmClient, guardArm } from './arm-pipeline.ts';

/** The Azure DNS API version this adapter speaks. */
export const AZURE_DNS_API_VERSION = '2018-05-01';

/** Record metadata key holding the primary target, written on the first switch to recovery. */
export const PRIMARY_TARGET_METADATA = 'standbyPrimaryTarget';

type RecordType = 'A' | 'AAAA' | 'CNAME';

interface RecordSet {
  readonly etag?: string;
  readonly properties?: Record<string, unknown> & { readonly metadata?: Record<string, string> | null };
}

/** Options of {@link AzureDnsSwitch}. */
export type AzureDnsSwitchOptions = ArmConnectionOptions;

/** {@link TrafficSwitch} for plans whose routing is `azureDns`. */
export class AzureDnsSwitch implements TrafficSwitch {
  readonly #client: Client;

  constructor(options: AzureDnsSwitchOptions) {
    this.#client = createArmClient(options, AZURE_DNS_API_VERSION);
  }

  /** `recovery` when the record points at the plan's recovery target, `primary` when it points elsewhere. */
  async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    const routing = routingOf(plan);
    const set = await this.#get(routing.path);
    const current = targetOf(set, routing.recordType);
    if (current === undefined) return 'unknown';
    return current === routing.recoveryTarget ? 'recovery' : 'primary';
  }

  /**
   * Points the record at `site`:
   * 1. read the set and its etag; already pointing there → nothing to do;
   * 2. PUT the new value with `If-Match`, keeping the primary value in metadata;
   * 3. on 412 read again and retry once (step 1 may now find nothing to do); then ConflictError.
   */
  async switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    const routing = routingOf(plan);
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const set = await this.#get(routing.path);
      const current = targetOf(set, routing.recordType);
      const metadata = { ...(set.properties?.metadata ?? {}) };
      const remembered = metadata[PRIMARY_TARGET_METADATA];
      let target: string;
      if (site === 'recovery') {
        if (current === routing.recoveryTarget) return;
        if (current !== undefined) metadata[PRIMARY_TARGET_METADATA] = current;
        target = routing.recoveryTarget;
      } else {
        if (current !== undefined && current !== routing.recoveryTarget) return;
        if (!remembered)
          throw new InvalidInputError(
            `plan "${plan.name}": ${routing.recordType} ${routing.recordSet} points at the recovery target and its metadata has no ${PRIMARY_TARGET_METADATA}; the primary target is unknown, so set the record by hand`,
          );
        target = remembered;
      }
      const body = {
        properties: {
          ...withoutRecords(set.properties ?? {}),
          metadata,
          ...recordsOf(routing.recordType, target),
        },
      };
      const operation = 'network:RecordSets_CreateOrUpdate';
      const response = await guardArm(operation, () =>
        this.#client
          .pathUnchecked(routing.path)
          .put({ body, headers: set.etag ? { 'If-Match': set.etag } : { 'If-None-Match': '*' } }),
      );
      if (Number(response.status) !== 412) {
        await guardArm(operation, () => armBody(operation, response));
        return;
      }
    }
    throw new ConflictError(
      `plan "${plan.name}": ${routing.recordType} ${routing.recordSet} changed twice while switching to ${site}; not overwriting someone else's edit`,
    );
  }

  async #get(path: string): Promise<RecordSet> {
    const operation = 'network:RecordSets_Get';
    const response = await guardArm(operation, () => this.#client.pathUnchecked(path).get());
    return (await guardArm(operation, () => armBody(operation, response))) as RecordSet;
  }
}

/** The record's value as one string: the CNAME, or the addresses sorted and comma-joined. */
function targetOf(set: RecordSet, type: RecordType): string | undefined {
  const p = set.properties ?? {};
  if (type === 'CNAME') {
    const cname = (p['CNAMERecord'] as { cname?: string } | undefined)?.cname;
    return cname ? normalizeHost(cname) : undefined;
  }
  const list = (p[type === 'A' ? 'ARecords' : 'AAAARecords'] ?? []) as Record<string, string>[];
  const key = type === 'A' ? 'ipv4Address' : 'ipv6Address';
  const addresses = list.map((r) => r[key]).filter((a): a is string => typeof a === 'string');
  return addresses.length > 0 ? addresses.sort().join(',') : undefined;
}

function recordsOf(type: RecordType, value: string): Record<string, unknown> {
  if (type === 'CNAME') return { CNAMERecord: { cname: value } };
  const key = type === 'A' ? 'ipv4Address' : 'ipv6Address';
  return { [type === 'A' ? 'ARecords' : 'AAAARecords']: value.split(',').map((a) => ({ [key]: a })) };
}

function withoutRecords(properties: Record<string, unknown>): Record<string, unknown> {
  const {
    CNAMERecord: _c,
    ARecords: _a,
    AAAARecords: _aaaa,
    fqdn: _f,
    provisioningState: _s,
    ...rest
  } = properties;
  return rest;
}

const normalizeHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, '');

function routingOf(plan: RecoveryPlan): {
  path: string;
  recordType: RecordType;
  recordSet: string;
  recoveryTarget: string;
} {
  const routing = plan.routing;
  if (routing?.kind !== 'azureDns')
    throw new InvalidInputError(
      `plan "${plan.name}" routes with ${routing?.kind ?? 'nothing'}, not azureDns; AzureDnsSwitch cannot switch it`,
    );
  if (!parseAzureId(routing.zoneId))
    throw new InvalidInputError(`plan "${plan.name}": "${routing.zoneId}" is not an Azure DNS zone id`);
  const recordType = routing.recordType;
  let recoveryTarget: string;
  if (recordType === 'CNAME') recoveryTarget = normalizeHost(routing.recoveryTarget);
  else {
    const version = recordType === 'A' ? 4 : 6;
    const addresses = routing.recoveryTarget.split(',').map((a) => a.trim());
    const bad = addresses.filter((a) => isIP(a) !== version);
    if (bad.length > 0)
      throw new InvalidInputError(
        `plan "${plan.name}": recoveryTarget of an ${recordType} record must be IPv${version} addresses (comma-separated); not: ${bad.join(', ')}`,
      );
    recoveryTarget = addresses.sort().join(',');
  }
  return {
    path: armPath(routing.zoneId, recordType, routing.recordSet),
    recordType,
    recordSet: routing.recordSet,
    recoveryTarget,
  };
}
