/**
 * The checked `RecoveryPlan`: built from a schema-valid document by {@link buildPlan}, which enforces
 * every rule that spans fields. Everything downstream works on this type, never on raw documents.
 */
import { parseDuration } from './duration.ts';
import { parseArn } from './identifiers.ts';
import type { RecoveryPlanDocument, ResourceDocument, RoutingDocument } from './plan-schema.ts';
import { findLiteralSecrets } from './secrets.ts';

/** Where recovery points of a resource come from, with what is needed to restore it. */
export type BackupSource =
  | {
      readonly kind: 'aws-backup';
      readonly resourceArn: string;
      readonly vaultArn: string;
      readonly restore?: {
        readonly iamRoleArn: string;
        readonly metadata: Readonly<Record<string, string>>;
        readonly resourceType?: string;
        /** `CopySourceTagsToRestoredResource`. */
        readonly copySourceTags?: boolean;
        /** Instances to create in a restored Aurora / DocumentDB / Neptune cluster. */
        readonly clusterInstances?: { readonly instanceClass: string; readonly count: number };
      };
    }
  | {
      readonly kind: 'azure-backup';
      readonly backupInstanceId: string;
      readonly restore?: { readonly request: Readonly<Record<string, unknown>> };
    }
  | {
      readonly kind: 'azure-recovery-services';
      readonly protectedItemId: string;
      readonly restore?: { readonly request: Readonly<Record<string, unknown>> };
    };

/** One protected resource of an application. */
export interface ProtectedResource {
  readonly app: string;
  readonly name: string;
  /** The resource's own RPO, or the plan's. */
  readonly rpoSeconds: number;
  readonly dependsOn: readonly string[];
  readonly source: BackupSource;
  /**
   * The region the plan recovers into: where a restore runs, and where the inventory looked for
   * its points (a Data Protection restore is cross-region exactly when this is not its vault's region).
   */
  readonly recoveryRegion?: string;
  /** Where a drill restores it instead (replacing restore metadata / request fields). */
  readonly drill?: {
    readonly metadata?: Readonly<Record<string, string>>;
    readonly request?: Readonly<Record<string, unknown>>;
  };
}

/** A site (primary or recovery) of an application. */
export interface Site {
  readonly cloud: 'aws' | 'azure';
  readonly region: string;
}

/** What declares the primary unhealthy. */
export type Trigger = { readonly awsAlarm: string } | { readonly azureAlertRule: string };

/** One place an approval request is sent. */
export type NotifyTarget = { readonly sns: string } | { readonly teams: { readonly webhookUrl: string } };

/** The failover policy of an application. */
export interface FailoverPolicy {
  readonly mode: 'automatic' | 'approval' | 'manual';
  readonly approval?: {
    readonly notify: readonly NotifyTarget[];
    readonly timeoutSeconds: number;
    readonly onTimeout: 'abort' | 'proceed';
  };
  readonly cooldownSeconds?: number;
  readonly requireFreshBackups: boolean;
}

/** A validation probe run after restores and before traffic moves. */
export interface HttpProbe {
  readonly url: string;
  readonly expectStatus: number;
  readonly timeoutSeconds: number;
  readonly attempts: number;
  /** Where a drill runs the probe instead. */
  readonly drillUrl?: string;
  /** A business-journey check (validation level L4). */
  readonly journey?: boolean;
}

/** How traffic reaches the application: exactly one of these. */
export type Routing =
  | ({ readonly kind: 'route53' } & NonNullable<RoutingDocument['route53']>)
  | ({ readonly kind: 'azureTrafficManager' } & NonNullable<RoutingDocument['azureTrafficManager']>)
  | ({ readonly kind: 'azureDns' } & NonNullable<RoutingDocument['azureDns']>);

/** An AWS account other than the controller's, and the role the controller assumes there. */
export interface AccountRole {
  /** The 12-digit account id (from the role's ARN). */
  readonly account: string;
  readonly roleArn: string;
}

/** A checked recovery plan for one application. */
export interface RecoveryPlan {
  readonly name: string;
  readonly owner?: string;
  readonly rpoSeconds: number;
  readonly rtoSeconds: number;
  readonly warnAt: number;
  readonly primary: Site;
  readonly recovery: Site;
  readonly triggers: readonly Trigger[];
  readonly failover: FailoverPolicy;
  /** In the order written; use `restoreOrder` for dependency order. */
  readonly resources: readonly ProtectedResource[];
  readonly validate: readonly HttpProbe[];
  readonly routing?: Routing;
  /** Restore drills: schedule, and whether what they restore is kept (and how long: `keepFor`). */
  readonly drill?: {
    readonly schedule?: string;
    readonly keep: boolean;
    /** With `keep`: how long what a drill restored is kept before it is deleted. */
    readonly keepForSeconds?: number;
  };
  /** Roles to assume in accounts other than the controller's (one per account). */
  readonly accounts?: readonly AccountRole[];
}

/** A rule broken by a schema-valid document; `path` points at the field to fix. */
export interface PlanRuleProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The longest an approval request may wait (and a token live). */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 24 * 3600;

const seconds = (d: string): number => parseDuration(d) ?? Number.NaN;

/**
 * Builds the checked plan from a schema-valid document, or returns every cross-field rule it breaks:
 * 1. each resource has exactly one backup source and a unique name;
 * 2. `dependsOn` names resources of the same plan, not itself, and forms no cycle;
 * 3. `approval` is present iff `mode` is `approval`; `triggers` is non-empty unless `mode` is `manual`;
 * 4. an AWS Backup vault is in the recovery region when the recovery site is AWS;
 * 5. `routing` has exactly one block, with what its strategy needs;
 * 6. `accounts` names each account once.
 */
export function buildPlan(
  doc: RecoveryPlanDocument,
): { plan: RecoveryPlan } | { problems: PlanRuleProblem[] } {
  const problems: PlanRuleProblem[] = [];
  const spec = doc.spec;
  const at = (...path: (string | number)[]) => ['spec', ...path];
  // 0. no literal secret anywhere: a plan names where secrets are kept, never holds one.
  problems.push(...findLiteralSecrets(spec, ['spec']));

  const names = new Map<string, number>();
  spec.resources.forEach((r, i) => {
    const sources = (['awsBackup', 'azureBackup', 'azureRecoveryServices'] as const).filter(
      (k) => r[k] !== undefined,
    );
    if (sources.length !== 1)
      problems.push({
        path: at('resources', i),
        message:
          sources.length === 0
            ? `resource "${r.name}" has no backup source; give exactly one of awsBackup, azureBackup, azureRecoveryServices`
            : `resource "${r.name}" has ${sources.join(' and ')}; give exactly one of awsBackup, azureBackup, azureRecoveryServices`,
      });
    if (names.has(r.name))
      problems.push({
        path: at('resources', i, 'name'),
        message: `resource name "${r.name}" is used twice; names are unique within a plan`,
      });
    else names.set(r.name, i);
    if (r.awsBackup && spec.recovery.cloud === 'aws') {
      // Stryker disable next-line OptionalChaining: the schema checked vaultArn is a Backup vault ARN.
      const vaultRegion = parseArn(r.awsBackup.vaultArn)?.region;
      if (vaultRegion && vaultRegion !== spec.recovery.region)
        problems.push({
          path: at('resources', i, 'awsBackup', 'vaultArn'),
          message: `vault is in ${vaultRegion} but the recovery region is ${spec.recovery.region}; recovery copies must be in a vault of the recovery region`,
        });
    }
  });

  spec.resources.forEach((r, i) => {
    r.dependsOn.forEach((dep, j) => {
      if (dep === r.name)
        problems.push({
          path: at('resources', i, 'dependsOn', j),
          message: `resource "${r.name}" depends on itself`,
        });
      else if (!names.has(dep))
        problems.push({
          path: at('resources', i, 'dependsOn', j),
          message: `unknown dependency "${dep}"; expected one of: ${[...names.keys()].join(', ')}`,
        });
    });
  });
  // A self-dependency is reported above, once; the cycle search looks at the rest.
  const cycle = findCycle(
    spec.resources.map((r) => ({ ...r, dependsOn: r.dependsOn.filter((d) => d !== r.name) })),
  );
  if (cycle) {
    const first = names.get(cycle[0]!) ?? 0;
    problems.push({
      path: at('resources', first, 'dependsOn'),
      message: `dependsOn forms a cycle: ${cycle.join(' → ')}`,
    });
  }

  const mode = spec.failover.mode;
  if (mode === 'approval' && !spec.failover.approval)
    problems.push({
      path: at('failover'),
      message: 'mode is approval, so failover.approval (notify, timeout, onTimeout) is required',
    });
  const timeout = spec.failover.approval && seconds(spec.failover.approval.timeout);
  // Stryker disable next-line ConditionalExpression: undefined > a number is false anyway.
  if (timeout !== undefined && timeout > MAX_APPROVAL_TIMEOUT_SECONDS)
    problems.push({
      path: at('failover', 'approval', 'timeout'),
      // Stryker disable next-line OptionalChaining: a timeout was read, so there is an approval block.
      message: `approval timeout is ${spec.failover.approval?.timeout}; at most 24h is allowed (an approval token lives as long, and a failover should not wait longer for a human)`,
    });
  if (mode !== 'approval' && spec.failover.approval)
    problems.push({
      path: at('failover', 'approval'),
      message: `failover.approval is only allowed when mode is approval (mode is ${mode})`,
    });
  if (mode !== 'manual' && spec.triggers.length === 0)
    problems.push({
      path: at('triggers'),
      message: `mode is ${mode}, so at least one trigger (awsAlarm or azureAlertRule) is required`,
    });

  const routing = spec.routing ? checkRouting(spec.routing, problems) : undefined;
  const accounts = (spec.accounts ?? []).map((a) => ({ account: parseArn(a.roleArn)?.account ?? '', ...a }));
  accounts.forEach((a, i) => {
    if (accounts.findIndex((b) => b.account === a.account) !== i)
      problems.push({
        path: at('accounts', i, 'roleArn'),
        message: `account ${a.account} already has a role (${accounts.find((b) => b.account === a.account)?.roleArn}); name one role per account`,
      });
  });

  if (problems.length > 0) return { problems };
  const rpoSeconds = seconds(spec.objectives.rpo);
  const approval = spec.failover.approval;
  return {
    plan: {
      name: doc.metadata.name,
      ...(doc.metadata.owner ? { owner: doc.metadata.owner } : {}),
      rpoSeconds,
      rtoSeconds: seconds(spec.objectives.rto),
      warnAt: spec.warnAt,
      primary: spec.primary,
      recovery: spec.recovery,
      triggers: spec.triggers,
      failover: {
        mode,
        ...(approval
          ? {
              approval: {
                notify: approval.notify,
                timeoutSeconds: seconds(approval.timeout),
                onTimeout: approval.onTimeout,
              },
            }
          : {}),
        ...(spec.failover.cooldown ? { cooldownSeconds: seconds(spec.failover.cooldown) } : {}),
        requireFreshBackups: spec.failover.requireFreshBackups,
      },
      resources: spec.resources.map((r) =>
        toResource(doc.metadata.name, r, rpoSeconds, spec.recovery.region),
      ),
      validate: spec.validate.map(({ http }) => ({
        url: http.url,
        expectStatus: http.expectStatus,
        timeoutSeconds: seconds(http.timeout),
        attempts: http.attempts,
        ...(http.drillUrl ? { drillUrl: http.drillUrl } : {}),
        ...(http.journey ? { journey: true } : {}),
      })),
      ...(routing ? { routing } : {}),
      ...(spec.drill ? { drill: drillSettings(spec.drill) } : {}),
      ...(accounts.length > 0 ? { accounts } : {}),
    },
  };
}

function toResource(
  app: string,
  r: ResourceDocument,
  planRpo: number,
  recoveryRegion: string,
): ProtectedResource {
  const source: BackupSource = r.awsBackup
    ? { kind: 'aws-backup', ...r.awsBackup }
    : r.azureBackup
      ? { kind: 'azure-backup', ...r.azureBackup }
      : { kind: 'azure-recovery-services', ...r.azureRecoveryServices! };
  return {
    app,
    name: r.name,
    rpoSeconds: r.rpo ? seconds(r.rpo) : planRpo,
    dependsOn: r.dependsOn,
    source,
    recoveryRegion,
    ...(r.drill ? { drill: r.drill } : {}),
  };
}

function checkRouting(routing: RoutingDocument, problems: PlanRuleProblem[]): Routing | undefined {
  const kinds = (['route53', 'azureTrafficManager', 'azureDns'] as const).filter(
    (k) => routing[k] !== undefined,
  );
  if (kinds.length !== 1) {
    problems.push({
      path: ['spec', 'routing'],
      message: `routing needs exactly one of route53, azureTrafficManager, azureDns (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})`,
    });
    return undefined;
  }
  if (routing.route53) {
    const r = routing.route53;
    const at = ['spec', 'routing', 'route53'];
    if (r.strategy === 'arc' && !r.arc)
      problems.push({
        path: at,
        message: 'strategy arc needs an arc block (routingControlArns, clusterEndpoints)',
      });
    if (r.strategy !== 'arc' && (!r.primarySetIdentifier || !r.recoverySetIdentifier))
      problems.push({
        path: at,
        message: `strategy ${r.strategy} needs primarySetIdentifier and recoverySetIdentifier`,
      });
    return { kind: 'route53', ...r };
  }
  if (routing.azureTrafficManager) return { kind: 'azureTrafficManager', ...routing.azureTrafficManager };
  return { kind: 'azureDns', ...routing.azureDns! };
}

/** Returns one dependency cycle as a list of names (first name repeated at the end), or undefined. */
export function findCycle(
  resources: readonly { name: string; dependsOn: readonly string[] }[],
): string[] | undefined {
  const deps = new Map(resources.map((r) => [r.name, r.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  // Stryker disable next-line ArrayDeclaration: the cycle is sliced from the index of its first name, after any filler.
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    // Stryker disable next-line ArrayDeclaration: only names of `deps` are visited, so get() always finds them.
    for (const dep of deps.get(name) ?? []) {
      // Stryker disable next-line ConditionalExpression: an unknown name has no dependencies, so visiting it finds nothing.
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const r of resources) {
    const cycle = visit(r.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Restore order: waves of resources whose dependencies are all in earlier waves (Kahn's algorithm). */
export function restoreWaves(resources: readonly ProtectedResource[]): ProtectedResource[][] {
  const done = new Set<string>();
  const left = [...resources];
  const waves: ProtectedResource[][] = [];
  while (left.length > 0) {
    const wave = left.filter((r) => r.dependsOn.every((d) => done.has(d)));
    if (wave.length === 0) throw new Error('restoreWaves: dependency cycle (plans are checked by buildPlan)');
    for (const r of wave) {
      done.add(r.name);
      left.splice(left.indexOf(r), 1);
    }
    waves.push(wave);
  }
  return waves;
}

/** The plan's drill settings: `keepFor` as seconds (the default is applied where it is used). */
function drillSettings(drill: NonNullable<RecoveryPlanDocument['spec']['drill']>): RecoveryPlan['drill'] {
  const { keepFor, ...rest } = drill;
  return { ...rest, ...(keepFor ? { keepForSeconds: seconds(keepFor) } : {}) };
}
