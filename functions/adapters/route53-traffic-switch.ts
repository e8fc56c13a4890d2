/**
 * `TrafficSwitch` on Route 53: weighted record pairs, failover record pairs and Application Recovery
 * Controller (ARC) routing controls. Every switch is one atomic request, so traffic is never pointed at
 * nothing; docs/design/traffic-switch.md (## AWS) explains each strategy's choice.
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import {
  GetRoutingControlStateCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
} from '@aws-sdk/client-route53-recovery-cluster';
import {
  ConflictError,
  ErrorCode,
  InvalidInputError,
  ProviderError,
  StandbyError,
} from '#shared/domain/errors.ts';
import type { RecoveryPlan, Routing } from '#shared/domain/plan.ts';
import type { ActiveSite, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import { AwsCallPolicy, isThrottlingError, toProviderError } from './aws-retry.ts';

type Route53Routing = Extract<Routing, { kind: 'route53' }>;
type Arc = NonNullable<Route53Routing['arc']>;
type SiteName = 'primary' | 'recovery';

/** What {@link Route53TrafficSwitch} is built from. */
export interface Route53TrafficSwitchOptions {
  /** Route 53 client; build it with `maxAttempts: 1`, since this adapter retries (SDK retries would repeat a change after a 5xx). */
  readonly route53: Route53Client;
  /**
   * The ARC data-plane client of one cluster endpoint. ARC has no global endpoint: every call names
   * one of the cluster's regional endpoints. @default a client with that endpoint and region, 2 attempts
   */
  readonly arcClientFor?: (endpoint: string, region: string) => Route53RecoveryClusterClient;
  /** Retries of record listings, and of throttled / PriorRequestNotComplete changes. @default { retries: 4, minTimeoutMs: 500 } */
  readonly retry?: { readonly retries?: number; readonly minTimeoutMs?: number };
}

/** ARC errors every cluster endpoint would answer the same way; rotating endpoints does not help. */
const ARC_FINAL = new Set(['ValidationException', 'AccessDeniedException', 'ResourceNotFoundException']);

const nameOf = (error: unknown): string => (error instanceof Error ? error.name : 'UnknownError');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const other = (site: SiteName): SiteName => (site === 'primary' ? 'recovery' : 'primary');
/** Route 53 answers names fully qualified and in lower case. */
const fqdn = (name: string): string => (name.endsWith('.') ? name : `${name}.`).toLowerCase();

/**
 * A change batch is tried again only when Route 53 says "not now" (throttled, or the zone's previous
 * change still applying): after a 5xx a failover batch may have been applied, and repeating its
 * DELETEs would fail it.
 */
const changeRetryable = (error: unknown): boolean =>
  isThrottlingError(error) || nameOf(error) === 'PriorRequestNotComplete';

/** The two record sets of a weighted or failover pair, by site. */
interface RecordPair {
  readonly primary: ResourceRecordSet;
  readonly recovery: ResourceRecordSet;
}

/** Reads and flips Route 53 routing (weighted, failover or ARC) for a plan. */
export class Route53TrafficSwitch implements TrafficSwitch {
  readonly #route53: Route53Client;
  readonly #arcClientFor: (endpoint: string, region: string) => Route53RecoveryClusterClient;
  readonly #arcClients = new Map<string, Route53RecoveryClusterClient>();
  /** The ARC endpoint that last answered, per cluster: tried first next time. */
  readonly #arcPreferred = new Map<string, number>();
  /** Retries of change batches; Route 53 is global, so one unpaced "region". */
  readonly #changes: AwsCallPolicy;
  /** Retries of record listings: reads, so throttling and server errors alike. */
  readonly #reads: AwsCallPolicy;

  constructor(options: Route53TrafficSwitchOptions) {
    this.#route53 = options.route53;
    this.#arcClientFor =
      options.arcClientFor ??
      ((endpoint, region) => new Route53RecoveryClusterClient({ endpoint, region, maxAttempts: 2 }));
    const retry = {
      maxCallsPerSecond: Number.POSITIVE_INFINITY,
      maxAttempts: (options.retry?.retries ?? 4) + 1,
      baseDelayMs: options.retry?.minTimeoutMs ?? 500,
      maxDelayMs: 10_000,
    };
    this.#changes = new AwsCallPolicy({ ...retry, isRetryable: changeRetryable });
    this.#reads = new AwsCallPolicy(retry);
  }

  /**
   * The site the routing sends traffic to: weighted — the only non-zero weight; failover — the site
   * holding the PRIMARY role; ARC — the only control that is On. Mixed states and unreadable routing
   * are `unknown`.
   */
  async activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    if (!plan.routing) return 'unknown';
    const routing = route53Routing(plan);
    try {
      if (routing.strategy === 'arc') return await this.#arcActive(routing);
      const pair = await this.#readPair(routing);
      return routing.strategy === 'weighted' ? weightedActive(pair) : failoverActive(pair);
    } catch (error) {
      // The port asks for `unknown` when routing cannot be read; a caller that must act (switchTo)
      // still sees the error, because switchTo reads for itself.
      if (error instanceof StandbyError && !(error instanceof InvalidInputError)) return 'unknown';
      throw error;
    }
  }

  /** Sends all traffic to `site` with one atomic change; does nothing when `site` is already active. */
  async switchTo(plan: RecoveryPlan, site: SiteName): Promise<void> {
    const routing = route53Routing(plan);
    if (routing.strategy === 'arc') return this.#arcSwitch(routing, site);
    const pair = await this.#readPair(routing);
    if (routing.strategy === 'weighted') {
      if (weightedActive(pair) === site) return;
      const target = pair[site];
      // Keep an operator's non-zero weight (it may encode a deliberate split of a larger pool).
      const weight = target.Weight && target.Weight > 0 ? target.Weight : 100;
      // One batch, applied atomically, so no resolver ever sees both at 0 — and compare-and-set: the
      // DELETEs must match both records exactly as read, so if anyone changed them since (another
      // controller, an operator) Route 53 rejects the whole batch and nothing changes.
      const previous = pair[other(site)];
      await this.#change(routing, `switch ${routing.recordName} to ${site} (weighted)`, [
        { Action: 'DELETE', ResourceRecordSet: target },
        { Action: 'DELETE', ResourceRecordSet: previous },
        { Action: 'CREATE', ResourceRecordSet: { ...target, Weight: weight } },
        { Action: 'CREATE', ResourceRecordSet: { ...previous, Weight: 0 } },
      ]);
      return;
    }
    if (failoverActive(pair) === site) return;
    // Swap the PRIMARY/SECONDARY roles. Each record keeps its own target and health check, so if
    // the new PRIMARY's health check fails Route 53 still answers with the old site — never nothing.
    // The DELETEs must match the records exactly as read: if anyone changed them since, Route 53
    // rejects the whole batch (InvalidChangeBatch) and nothing changes.
    const target = pair[site];
    const previous = pair[other(site)];
    await this.#change(routing, `switch ${routing.recordName} to ${site} (failover)`, [
      { Action: 'DELETE', ResourceRecordSet: previous },
      { Action: 'DELETE', ResourceRecordSet: target },
      { Action: 'CREATE', ResourceRecordSet: { ...target, Failover: 'PRIMARY' } },
      { Action: 'CREATE', ResourceRecordSet: { ...previous, Failover: 'SECONDARY' } },
    ]);
  }

  async #readPair(routing: Route53Routing): Promise<RecordPair> {
    const records = await this.#listRecords(routing);
    const find = (site: SiteName): ResourceRecordSet => {
      const id = site === 'primary' ? routing.primarySetIdentifier : routing.recoverySetIdentifier;
      const found = records.find((r) => r.SetIdentifier === id);
      const attribute = routing.strategy === 'weighted' ? 'Weight' : 'Failover';
      if (!found || found[attribute] === undefined)
        throw new ProviderError(
          'route53:ListResourceRecordSets',
          `no ${routing.strategy} record set "${id}" (${site}) for ${routing.recordName} ${routing.recordType} in zone ${zoneId(routing)}; found set identifiers: ${records.map((r) => r.SetIdentifier ?? '(simple)').join(', ') || 'none'}`,
          { code: ErrorCode.NotFound },
        );
      return found;
    };
    return { primary: find('primary'), recovery: find('recovery') };
  }

  /** Every record set of the plan's name and type; they are contiguous in Route 53's listing order. */
  async #listRecords(routing: Route53Routing): Promise<ResourceRecordSet[]> {
    const name = fqdn(routing.recordName);
    const matches = (r: ResourceRecordSet) => fqdn(r.Name ?? '') === name && r.Type === routing.recordType;
    const found: ResourceRecordSet[] = [];
    let identifier: string | undefined;
    for (;;) {
      const command = new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId(routing),
        StartRecordName: name,
        StartRecordType: routing.recordType,
        ...(identifier ? { StartRecordIdentifier: identifier } : {}),
      });
      const page = await this.#reads.run(
        'global',
        'route53:ListResourceRecordSets',
        () => this.#route53.send(command),
        `records of ${name}`,
      );
      const sets = page.ResourceRecordSets ?? [];
      found.push(...sets.filter(matches));
      const more =
        page.IsTruncated === true &&
        page.NextRecordIdentifier !== undefined &&
        fqdn(page.NextRecordName ?? '') === name &&
        page.NextRecordType === routing.recordType &&
        sets.every(matches);
      if (!more) return found;
      identifier = page.NextRecordIdentifier;
    }
  }

  async #change(
    routing: Route53Routing,
    comment: string,
    changes: NonNullable<
      ConstructorParameters<typeof ChangeResourceRecordSetsCommand>[0]['ChangeBatch']
    >['Changes'],
  ): Promise<void> {
    const command = new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId(routing),
      ChangeBatch: { Comment: `standby: ${comment}`, Changes: changes },
    });
    await this.#changes
      .run('global', 'route53:ChangeResourceRecordSets', () => this.#route53.send(command), comment)
      .catch((error: unknown) => {
        const sdkError = error instanceof ProviderError ? error.cause : error;
        if (nameOf(sdkError) === 'InvalidChangeBatch')
          throw new ConflictError(
            `route53:ChangeResourceRecordSets: ${comment} was rejected, nothing changed (the records were changed since they were read, or the batch is invalid): ${messageOf(sdkError)}`,
            { cause: sdkError },
          );
        throw error;
      });
  }

  async #arcActive(routing: Route53Routing): Promise<ActiveSite> {
    const arc = arcOf(routing);
    const state = async (arn: string) =>
      (
        await this.#arcCall(arc, 'GetRoutingControlState', (client) =>
          client.send(new GetRoutingControlStateCommand({ RoutingControlArn: arn })),
        )
      ).RoutingControlState;
    const primary = await state(arc.routingControlArns.primary);
    const recovery = await state(arc.routingControlArns.recovery);
    if (primary === 'On' && recovery === 'Off') return 'primary';
    if (recovery === 'On' && primary === 'Off') return 'recovery';
    return 'unknown';
  }

  async #arcSwitch(routing: Route53Routing, site: SiteName): Promise<void> {
    if ((await this.#arcActive(routing)) === site) return;
    const arc = arcOf(routing);
    // Both entries in one call: ARC evaluates its safety rules on the resulting state as a whole, so
    // a rule such as "at least one cell On" holds throughout.
    await this.#arcCall(arc, 'UpdateRoutingControlStates', (client) =>
      client.send(
        new UpdateRoutingControlStatesCommand({
          UpdateRoutingControlStateEntries: [
            { RoutingControlArn: arc.routingControlArns[site], RoutingControlState: 'On' },
            { RoutingControlArn: arc.routingControlArns[other(site)], RoutingControlState: 'Off' },
          ],
        }),
      ),
    );
  }

  /**
   * Calls the ARC cluster, starting with the endpoint that last answered and moving to the next one
   * on any failure another endpoint might not have (throttling, unavailable endpoint, network):
   * AWS's guidance for the data plane, whose five regional endpoints are independent.
   */
  async #arcCall<T>(
    arc: Arc,
    operation: string,
    call: (client: Route53RecoveryClusterClient) => Promise<T>,
  ): Promise<T> {
    const cluster = arc.clusterEndpoints.map((e) => e.endpoint).join(' ');
    const start = this.#arcPreferred.get(cluster) ?? 0;
    const failures: string[] = [];
    let last: unknown;
    for (let i = 0; i < arc.clusterEndpoints.length; i++) {
      const index = (start + i) % arc.clusterEndpoints.length;
      const { endpoint, region } = arc.clusterEndpoints[index]!;
      try {
        const result = await call(this.#arcClient(endpoint, region));
        this.#arcPreferred.set(cluster, index);
        return result;
      } catch (error) {
        last = error;
        if (ARC_FINAL.has(nameOf(error)))
          throw toProviderError(`route53-recovery-cluster:${operation}`, error, 1, `endpoint ${endpoint}`);
        failures.push(`${endpoint}: ${nameOf(error)}`);
      }
    }
    throw toProviderError(
      `route53-recovery-cluster:${operation}`,
      last,
      arc.clusterEndpoints.length,
      `every cluster endpoint failed (${failures.join('; ')}); last`,
    );
  }

  #arcClient(endpoint: string, region: string): Route53RecoveryClusterClient {
    const key = `${region} ${endpoint}`;
    let client = this.#arcClients.get(key);
    if (!client) {
      client = this.#arcClientFor(endpoint, region);
      this.#arcClients.set(key, client);
    }
    return client;
  }
}

function route53Routing(plan: RecoveryPlan): Route53Routing {
  const routing = plan.routing;
  if (!routing)
    throw new InvalidInputError(`plan "${plan.name}" has no routing block, so traffic cannot be switched`);
  if (routing.kind !== 'route53')
    throw new InvalidInputError(
      `plan "${plan.name}" routes with ${routing.kind}; the Route 53 traffic switch handles only routing.route53`,
    );
  return routing;
}

function arcOf(routing: Route53Routing): Arc {
  if (!routing.arc)
    throw new InvalidInputError(`routing.route53 of ${routing.recordName} has strategy arc but no arc block`);
  return routing.arc;
}

/** The hosted zone id without the `/hostedzone/` prefix some consoles and responses show. */
function zoneId(routing: Route53Routing): string {
  return routing.hostedZoneId.replace(/^\/hostedzone\//, '');
}

function weightedActive(pair: RecordPair): ActiveSite {
  const primary = (pair.primary.Weight ?? 0) > 0;
  const recovery = (pair.recovery.Weight ?? 0) > 0;
  if (primary && !recovery) return 'primary';
  if (recovery && !primary) return 'recovery';
  return 'unknown';
}

function failoverActive(pair: RecordPair): ActiveSite {
  const primary = pair.primary.Failover === 'PRIMARY';
  const recovery = pair.recovery.Failover === 'PRIMARY';
  if (primary && !recovery) return 'primary';
  if (recovery && !primary) return 'recovery';
  return 'unknown';
}
