/**
 * A world's workload, drawn from its seed: the plans (automatic or approval, 1–5 resources in a
 * dependsOn DAG, probes, routing or none), the plan changes that land between trigger and approval,
 * and the alarm deliveries — EventBridge and SNS copies of the same fact, duplicates, delays, copies
 * to the controller of the wrong region, OK after ALARM, flapping.
 */
import { parseDuration } from '#shared/domain/duration.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { drawDrills, drillFields, drillUrlOf, recoveryName } from './drills.ts';
import { type AlarmFact, alarmViaEventBridge, alarmViaSns, azureAlert } from './payloads.ts';
import type { Random } from './random.ts';

export const ACCOUNT = '111122223333';
export const AWS_RECOVERY_REGION = 'eu-central-1';
export const AZURE_RECOVERY_REGION = 'northeurope';
export const VAULT = `arn:aws:backup:${AWS_RECOVERY_REGION}:${ACCOUNT}:backup-vault:dr-vault`;
export const HOSTED_ZONE = 'Z0123456789ABC';
const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** Which cloud's plans and payloads a world uses. */
export type Flavour = 'aws' | 'azure';

/** One resource of an app, as drawn. */
export interface ResourceSpec {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** One application of a world, as drawn. */
export interface AppSpec {
  readonly name: string;
  readonly mode: 'automatic' | 'approval';
  readonly onTimeout: 'abort' | 'proceed';
  readonly timeoutSeconds: number;
  readonly resources: readonly ResourceSpec[];
  readonly probes: readonly string[];
  readonly routing: boolean;
  /** Alarm ARN (AWS) or alert rule id (Azure). */
  readonly trigger: string;
  /** From this world time (ms) on, the app's newest backups are older than its RPO: the gate refuses. */
  readonly staleFrom: number | null;
}

/** A delivery the world will make: a raw payload at a world time, to a controller. */
export interface PlannedDelivery {
  readonly at: number;
  readonly label: string;
  readonly raw: unknown;
  /** `any`: one of the recovery-region controllers; `wrong`: the controller of another region. */
  readonly to: 'any' | 'wrong';
  /** The ALARM fact this payload carries (`app@time`), shared by all its copies. */
  readonly fact?: string;
}

/** Plans as given to tasks from `from` (world ms) on. */
export interface PlanVersion {
  readonly from: number;
  readonly plans: readonly RecoveryPlan[];
}

/** Everything drawn for a world before it runs. */
export interface Workload {
  readonly flavour: Flavour;
  /** The world's start (ms). */
  readonly t0: number;
  readonly apps: readonly AppSpec[];
  readonly versions: readonly PlanVersion[];
  readonly deliveries: readonly PlannedDelivery[];
  /** Seconds each app keeps what its drills restore (drill worlds only; absent: it does not keep). */
  readonly keepFor: ReadonlyMap<string, number>;
}

/** The ARN of a resource's source (the restore event names it), per flavour. */
export function resourceArn(app: string, name: string): string {
  return `arn:aws:rds:eu-west-1:${ACCOUNT}:db:${app}-${name}`;
}

/** The recovery point the inventory offers for a resource (the fake cloud checks starts against it). */
export function recoveryPointOf(flavour: Flavour, app: string, name: string): string {
  return flavour === 'aws'
    ? `arn:aws:backup:${AWS_RECOVERY_REGION}:${ACCOUNT}:recovery-point:rp-${app}-${name}`
    : `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault/backupInstances/${app}-${name}/recoveryPoints/rp-${app}-${name}`;
}

/** The Traffic Manager profile of an app's routing. */
export function trafficManagerProfile(app: string): string {
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-${app}/providers/Microsoft.Network/trafficManagerProfiles/${app}`;
}

/** The probe URLs of an app. */
const probeUrl = (app: string, i: number) => `https://${app}.dr.example.com/health/${i + 1}`;

function drawResources(random: Random): ResourceSpec[] {
  const count = random.between(1, 5);
  return Array.from({ length: count }, (_, i) => {
    const earlier = Array.from({ length: i }, (_, j) => `r${j + 1}`);
    const dependsOn = earlier.filter(() => random.chance(0.35));
    return { name: `r${i + 1}`, dependsOn };
  });
}

function drawApp(random: Random, gates: Random, flavour: Flavour, n: number, t0: number): AppSpec {
  const name = `app-${n}`;
  return {
    name,
    mode: random.chance(0.5) ? 'approval' : 'automatic',
    onTimeout: random.chance(0.5) ? 'abort' : 'proceed',
    timeoutSeconds: random.pick([600, 1200, 1800]),
    resources: drawResources(random),
    probes: Array.from({ length: random.int(3) }, (_, i) => probeUrl(name, i)),
    routing: random.chance(0.75),
    trigger:
      flavour === 'aws'
        ? `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${name}-health`
        : `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-${name}/providers/microsoft.insights/metricAlerts/${name}-availability`,
    staleFrom: gates.chance(0.15) ? t0 + (gates.chance(0.5) ? 0 : gates.between(60, 1800)) * 1000 : null,
  };
}

/** A plan document for `app` with `resources` (JSON, which the YAML loader reads). */
function planDoc(
  flavour: Flavour,
  app: AppSpec,
  resources: readonly ResourceSpec[],
  drills: boolean,
  keepFor: string | undefined,
): unknown {
  const aws = flavour === 'aws';
  const forDrills = (r: ResourceSpec) => (drills ? drillFields(flavour, app.name, r) : {});
  return {
    apiVersion: 'standby/v1',
    kind: 'RecoveryPlan',
    metadata: { name: app.name },
    spec: {
      objectives: { rpo: '1h', rto: '4h' },
      primary: aws ? { cloud: 'aws', region: 'eu-west-1' } : { cloud: 'azure', region: 'westeurope' },
      recovery: aws
        ? { cloud: 'aws', region: AWS_RECOVERY_REGION }
        : { cloud: 'azure', region: AZURE_RECOVERY_REGION },
      triggers: [aws ? { awsAlarm: app.trigger } : { azureAlertRule: app.trigger }],
      failover:
        app.mode === 'automatic'
          ? { mode: 'automatic' }
          : {
              mode: 'approval',
              approval: {
                notify: [
                  aws
                    ? { sns: `arn:aws:sns:${AWS_RECOVERY_REGION}:${ACCOUNT}:dr-approvals` }
                    : { teams: { webhookUrl: 'env:TEAMS_WEBHOOK_URL' } },
                ],
                timeout: `${app.timeoutSeconds / 60}m`,
                onTimeout: app.onTimeout,
              },
            },
      resources: resources.map((r) => {
        const { drill, request } = forDrills(r) as { drill?: unknown; request?: unknown };
        return {
          name: r.name,
          ...(r.dependsOn.length ? { dependsOn: r.dependsOn } : {}),
          ...(aws
            ? {
                awsBackup: {
                  resourceArn: resourceArn(app.name, r.name),
                  vaultArn: VAULT,
                  restore: {
                    iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/standby-restore`,
                    metadata: { DBInstanceIdentifier: recoveryName(app.name, r.name) },
                  },
                },
              }
            : {
                azureBackup: {
                  backupInstanceId: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault/backupInstances/${app.name}-${r.name}`,
                  restore: {
                    request: request ?? { objectType: 'AzureBackupRecoveryPointBasedRestoreRequest' },
                  },
                },
              }),
          ...(drill ? { drill } : {}),
        };
      }),
      ...(app.probes.length
        ? {
            validate: app.probes.map((url) => ({
              http: { url, ...(drills ? { drillUrl: drillUrlOf(url) } : {}) },
            })),
          }
        : {}),
      ...(app.routing
        ? {
            routing: aws
              ? {
                  route53: {
                    hostedZoneId: HOSTED_ZONE,
                    recordName: `${app.name}.example.com.`,
                    recordType: 'CNAME',
                    strategy: 'weighted',
                    primarySetIdentifier: 'primary',
                    recoverySetIdentifier: 'recovery',
                  },
                }
              : {
                  azureTrafficManager: {
                    profileId: trafficManagerProfile(app.name),
                    primaryEndpoint: 'primary',
                    recoveryEndpoint: 'recovery',
                  },
                },
          }
        : {}),
      ...(keepFor ? { drill: { keep: true, keepFor } } : {}),
    },
  };
}

function loadPlanSet(
  flavour: Flavour,
  apps: readonly AppSpec[],
  sets: readonly (readonly ResourceSpec[])[],
  drills: Random | undefined,
) {
  const text = apps
    .map((a, i) => JSON.stringify(planDoc(flavour, a, sets[i]!, !!drills, keepOf(drills, a.name))))
    .join('\n---\n');
  return readPlans([{ file: 'sim-plans.yaml', text }]).map((l) => l.plan);
}

/**
 * Half the apps of a drill world keep what their drills restore, for 5–40 minutes (`spec.drill.keep`,
 * `keepFor`): drawn from a stream of their own, forked without a draw, so no other draw moves.
 */
export function keepOf(drills: Random | undefined, app: string): string | undefined {
  if (!drills) return undefined;
  const keep = drills.fork(`keep ${app}`);
  return keep.chance(0.5) ? `${keep.between(5, 40)}m` : undefined;
}

/** A plan change: a new leaf resource, or the removal of one no other resource depends on. */
function changeResources(random: Random, resources: readonly ResourceSpec[]): ResourceSpec[] {
  const leaves = resources.filter((r) => !resources.some((o) => o.dependsOn.includes(r.name)));
  if (resources.length > 1 && random.chance(0.5)) {
    const gone = random.pick(leaves).name;
    return resources.filter((r) => r.name !== gone);
  }
  const dependsOn = resources.length && random.chance(0.5) ? [random.pick(resources).name] : [];
  return [...resources, { name: `r${resources.length + 10}`, dependsOn }];
}

/**
 * Draws a world's workload. `t0` is the world's start (ms). Gate conditions (stale backups) come from
 * their own stream, so adding them did not redraw the worlds that have none; so do drill requests
 * (`drills`, the drill family only).
 */
export function drawWorkload(
  random: Random,
  gates: Random,
  flavour: Flavour,
  t0: number,
  drills?: Random,
): Workload {
  const apps = Array.from({ length: random.chance(0.25) ? 2 : 1 }, (_, i) =>
    drawApp(random, gates, flavour, i + 1, t0),
  );
  const initial = apps.map((a) => a.resources);
  const versions: PlanVersion[] = [{ from: t0, plans: loadPlanSet(flavour, apps, initial, drills) }];
  const changing = apps.map(() => random.chance(0.3));
  if (changing.some(Boolean)) {
    const changed = initial.map((r, i) => (changing[i] ? changeResources(random, r) : r));
    versions.push({
      from: t0 + random.between(60, 1200) * 1000,
      plans: loadPlanSet(flavour, apps, changed, drills),
    });
  }
  const deliveries: PlannedDelivery[] = [];
  let envelope = 0;
  for (const app of apps) {
    let at = t0 + random.between(0, 120) * 1000;
    const facts = random.between(1, 6);
    let lastAlert = '';
    for (let f = 0; f < facts; f++) {
      const state: AlarmFact['state'] = f > 0 && random.chance(0.35) ? 'OK' : 'ALARM';
      const fact: AlarmFact = { alarmArn: app.trigger, state, at: new Date(at) };
      const alertId = `alert-${app.name}-${f}`;
      const factKey = state === 'ALARM' ? { fact: `${app.name}@${at}` } : {};
      const copies = flavour === 'aws' ? (['eb', 'sns'] as const).filter(() => random.chance(0.7)) : ['az'];
      if (copies.length === 0) copies.push(random.pick(['eb', 'sns'] as const));
      for (const copy of copies) {
        for (let d = 0; d < (random.chance(0.25) ? 2 : 1); d++) {
          const deliveredAt = at + random.between(0, 90) * 1000;
          const raw =
            copy === 'eb'
              ? alarmViaEventBridge(fact, `eb-${++envelope}`, new Date(deliveredAt))
              : copy === 'sns'
                ? alarmViaSns(fact, `sns-${++envelope}`, new Date(deliveredAt))
                : azureAlert(
                    app.trigger,
                    state === 'ALARM' ? alertId : lastAlert || alertId,
                    state === 'ALARM' ? 'Fired' : 'Resolved',
                    fact.at,
                  );
          const label = `${state === 'ALARM' ? 'alarm' : 'ok'}-${copy} ${app.name}#${f}`;
          deliveries.push({ at: deliveredAt, label, raw, to: 'any', ...factKey });
          if (random.chance(0.3))
            deliveries.push({ at: deliveredAt + random.between(0, 30) * 1000, label, raw, to: 'wrong' });
        }
      }
      if (state === 'ALARM') lastAlert = alertId;
      at += (random.chance(0.5) ? random.between(20, 240) : random.between(240, 900)) * 1000;
    }
  }
  const keepFor = new Map(
    apps.flatMap((a) => {
      const keep = keepOf(drills, a.name);
      return keep ? [[a.name, parseDuration(keep) ?? 0] as const] : [];
    }),
  );
  if (!drills) return { flavour, t0, apps, versions, deliveries, keepFor };
  // Drill worlds: the alarms come later, so they land before, during and after the drills.
  const shift = drills.between(300, 1800) * 1000;
  const later = deliveries.map((d) => ({
    ...d,
    at: d.at + shift,
    ...(d.fact ? { fact: shiftFact(d.fact, shift) } : {}),
  }));
  return {
    flavour,
    t0,
    apps,
    versions,
    deliveries: [...later, ...drawDrills(drills, apps, t0, shift)],
    keepFor,
  };
}

/** The fact key `app@time` of an alarm delivered `shift` ms later. */
function shiftFact(fact: string, shift: number): string {
  const [app, at] = fact.split('@');
  return `${app}@${Number(at) + shift}`;
}

/** One line naming the apps of a workload, for traces. */
export function describeWorkload(w: Workload): string {
  const app = (a: AppSpec) => {
    const mode = a.mode === 'approval' ? `approval/${a.onTimeout}/${a.timeoutSeconds}s` : a.mode;
    const dag = a.resources.map((r) => `${r.name}${r.dependsOn.length ? `<-${r.dependsOn.join('+')}` : ''}`);
    const stale = a.staleFrom === null ? '' : `, stale from +${Math.round((a.staleFrom - w.t0) / 1000)}s`;
    return `${a.name}(${mode}, ${dag.join(' ')}, probes ${a.probes.length}, routing ${a.routing}${stale})`;
  };
  return `${w.flavour}, apps ${w.apps.map(app).join('; ')}`;
}
