/**
 * The `drill` seed family's workload: the plans give every resource drill names and every probe a
 * drill URL, and humans ask for drills (`standby drill`) at random times — before, during and after the
 * app's alarms, so real alarms land in the middle of drills. See docs/drills.md.
 */

import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { Random } from './random.ts';
import type { AppSpec, Flavour, PlannedDelivery, ResourceSpec } from './workload.ts';

/** The name a failover restores a resource under (what the plan's restore block names). */
export const recoveryName = (app: string, resource: string) => `${app}-${resource}-dr`;
/** The name a drill restores it under. */
export const drillName = (app: string, resource: string) => `${app}-${resource}-drill`;
/** Where a drill probes (the drill target's endpoint). */
export const drillUrlOf = (url: string) => url.replace('.dr.example.com', '.drill.example.com');

/** The plan a drill request (`{ drill: <app> }`) names, or undefined when `raw` is not one. */
export function drillRequested(raw: unknown, plans: readonly RecoveryPlan[]): RecoveryPlan | undefined {
  const app = (raw as { drill?: unknown } | undefined)?.drill;
  return typeof app === 'string' ? plans.find((p) => p.name === app) : undefined;
}

/** The restore fields of a resource in a drill world: the target named, and its drill override. */
export function drillFields(flavour: Flavour, app: string, r: ResourceSpec) {
  const target = (name: string) => ({
    restoreTargetInfo: {
      objectType: 'RestoreTargetInfo',
      recoveryOption: 'FailIfExists',
      datasourceInfo: { resourceName: name },
    },
  });
  return flavour === 'aws'
    ? { drill: { metadata: { DBInstanceIdentifier: drillName(app, r.name) } } }
    : {
        request: {
          objectType: 'AzureBackupRecoveryPointBasedRestoreRequest',
          ...target(recoveryName(app, r.name)),
        },
        drill: { request: target(drillName(app, r.name)) },
      };
}

/**
 * Draws 1–3 drill requests per app, some twice (a double click): up to the first alarm (`alarmsFrom`
 * ms after the start) and a little past it, so alarms land in drills.
 */
export function drawDrills(
  random: Random,
  apps: readonly AppSpec[],
  t0: number,
  alarmsFrom: number,
): PlannedDelivery[] {
  const out: PlannedDelivery[] = [];
  for (const app of apps) {
    const count = random.between(1, 3);
    for (let n = 0; n < count; n++) {
      const at = t0 + random.between(0, alarmsFrom / 1000 + 300) * 1000;
      const label = `drill ${app.name}#${n}`;
      out.push({ at, label, raw: { drill: app.name }, to: 'any' });
      if (random.chance(0.2))
        out.push({ at: at + random.between(0, 20) * 1000, label, raw: { drill: app.name }, to: 'any' });
    }
  }
  return out;
}
