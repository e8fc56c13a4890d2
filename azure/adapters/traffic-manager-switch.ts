/**
 * Switches traffic with an Azure Traffic Manager profile through `@azure/arm-trafficmanager`
 * (API 2022-04-01). The plan names two endpoints of the profile; the active one is the enabled one
 * (with Priority routing: the enabled one with the better, lower, priority).
 *
 * A switch never leaves both endpoints disabled: the target is enabled first, then the other is
 * disabled (and, with Priority routing, moved behind every other endpoint), then the target gets the
 * other's old priority. Each step is one PATCH; a crash between steps leaves traffic flowing, and the
 * next `switchTo` finishes the remaining steps.
 */
import { type Endpoint, type EndpointType, TrafficManagerManagementClient } from '@azure/arm-trafficmanager';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseAzureId } from '#shared/domain/identifiers.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { ActiveSite, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import { type ArmConnectionOptions, guardArm, SubscriptionClients } from './arm-pipeline.ts';

/** Endpoint types as the SDK's path parameter spells them, by the last segment of the endpoint's `type`. */
const ENDPOINT_TYPES: Readonly<Record<string, EndpointType>> = {
  azureendpoints: 'AzureEndpoints',
  externalendpoints: 'ExternalEndpoints',
  nestedendpoints: 'NestedEndpoints',
};

/** The highest priority value Traffic Manager accepts. */
const MAX_PRIORITY = 1000;

/** Options of {@link TrafficManagerSwitch}. */
export type TrafficManagerSwitchOptions = ArmConnectionOptions;

interface Profile {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

interface Read {
  readonly priorityRouting: boolean;
  readonly primary: Endpoint;
  readonly recovery: Endpoint;
  readonly all: readonly Endpoint[];
}

/** {@link TrafficSwitch} for plans whose routing is `azureTrafficManager`. */
export class TrafficManagerSwitch implements TrafficSwitch {
  readonly #clients: SubscriptionClients<TrafficManagerManagementClient>;

  constructor(options: TrafficManagerSwitchOptions) {
    this.#clients = new SubscriptionClients(
      options,
      (credential, subscriptionId, clientOptions) =>
        new TrafficManagerManagementClient(credential, subscriptionId, clientOptions),
    );
  }

  /** Which endpoint takes traffic now; `unknown` when neither or (without priorities) both are enabled. */
  async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    return siteOf(await this.#read(plan));
  }

  /**
   * Sends traffic to `site`:
   * 1. enable the target (a no-op when it is enabled);
   * 2. disable the other; with Priority routing, also move it behind every endpoint of the profile;
   * 3. with Priority routing, give the target the other's old priority when it is not already ahead.
   * Already in the end state: no request at all.
   */
  async switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    const { profile } = routingOf(plan);
    const read = await this.#read(plan);
    const target = site === 'primary' ? read.primary : read.recovery;
    const other = site === 'primary' ? read.recovery : read.primary;
    const ahead = (a: Endpoint, b: Endpoint) => (a.priority ?? MAX_PRIORITY) < (b.priority ?? MAX_PRIORITY);
    const topPriority = other.priority;

    if (!enabled(target)) await this.#patch(profile, target, { endpointStatus: 'Enabled' });
    if (enabled(other) || (read.priorityRouting && ahead(other, target))) {
      const behind = read.priorityRouting && ahead(other, target) ? { priority: freePriority(read.all) } : {};
      await this.#patch(profile, other, { endpointStatus: 'Disabled', ...behind });
      if (read.priorityRouting && ahead(other, target) && topPriority !== undefined)
        await this.#patch(profile, target, { priority: topPriority });
    }
  }

  async #read(plan: RecoveryPlan): Promise<Read> {
    const { profile, primaryEndpoint, recoveryEndpoint } = routingOf(plan);
    const answer = await guardArm('network:Profiles_Get', () =>
      this.#clients.get(profile.subscriptionId).profiles.get(profile.resourceGroup, profile.name),
    );
    const all = answer.endpoints ?? [];
    const find = (name: string, role: string) => {
      const found = all.find((e) => e.name?.toLowerCase() === name.toLowerCase());
      if (!found)
        throw new InvalidInputError(
          `plan "${plan.name}": Traffic Manager profile ${profile.name} has no ${role} endpoint "${name}"; it has: ${all.map((e) => e.name).join(', ') || 'no endpoints'}`,
        );
      return found;
    };
    return {
      priorityRouting: answer.trafficRoutingMethod === 'Priority',
      primary: find(primaryEndpoint, 'primary'),
      recovery: find(recoveryEndpoint, 'recovery'),
      all,
    };
  }

  async #patch(profile: Profile, endpoint: Endpoint, change: Partial<Endpoint>): Promise<void> {
    const typeName = endpoint.type?.split('/').pop()?.toLowerCase() ?? '';
    const type = ENDPOINT_TYPES[typeName];
    if (!type || !endpoint.name)
      throw new ProviderError(
        'network:Endpoints_Update',
        `endpoint ${endpoint.id ?? '?'} has an unknown type "${endpoint.type}"`,
      );
    const name = endpoint.name;
    await guardArm('network:Endpoints_Update', () =>
      this.#clients
        .get(profile.subscriptionId)
        .endpoints.update(profile.resourceGroup, profile.name, type, name, change),
    );
  }
}

const enabled = (e: Endpoint): boolean => e.endpointStatus === 'Enabled';

function siteOf(read: Read): ActiveSite {
  const p = enabled(read.primary);
  const r = enabled(read.recovery);
  if (p && !r) return 'primary';
  if (r && !p) return 'recovery';
  if (!p && !r) return 'unknown';
  // Both enabled: with priorities the better one takes the traffic; otherwise traffic is split.
  if (!read.priorityRouting || read.primary.priority === undefined || read.recovery.priority === undefined)
    return 'unknown';
  return read.primary.priority < read.recovery.priority ? 'primary' : 'recovery';
}

/** A priority behind every endpoint of the profile (or the highest free one when 1000 is reached). */
function freePriority(all: readonly Endpoint[]): number {
  const used = new Set(all.map((e) => e.priority).filter((p): p is number => p !== undefined));
  const next = Math.max(0, ...used) + 1;
  if (next <= MAX_PRIORITY) return next;
  for (let p = MAX_PRIORITY; p >= 1; p -= 1) if (!used.has(p)) return p;
  throw new ProviderError('network:Endpoints_Update', 'every priority from 1 to 1000 is in use');
}

function routingOf(plan: RecoveryPlan): {
  profile: Profile;
  primaryEndpoint: string;
  recoveryEndpoint: string;
} {
  const routing = plan.routing;
  if (routing?.kind !== 'azureTrafficManager')
    throw new InvalidInputError(
      `plan "${plan.name}" routes with ${routing?.kind ?? 'nothing'}, not azureTrafficManager; TrafficManagerSwitch cannot switch it`,
    );
  const id = parseAzureId(routing.profileId);
  const name = id?.segments[0]?.[1];
  if (!id || !name)
    throw new InvalidInputError(
      `plan "${plan.name}": "${routing.profileId}" is not a Traffic Manager profile id`,
    );
  return {
    profile: { subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, name },
    primaryEndpoint: routing.primaryEndpoint,
    recoveryEndpoint: routing.recoveryEndpoint,
  };
}
