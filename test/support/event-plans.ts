/** A minimal AWS plan of `triggers` and `resources` (name, backup source), for event-matching tests. */
import type { BackupSource, RecoveryPlan, Trigger } from '#shared/domain/plan.ts';

export function eventPlan(
  name: string,
  triggers: Trigger[],
  resources: [string, BackupSource][],
): RecoveryPlan {
  return {
    name,
    rpoSeconds: 900,
    rtoSeconds: 3600,
    warnAt: 0.8,
    primary: { cloud: 'aws', region: 'eu-west-1' },
    recovery: { cloud: 'aws', region: 'eu-central-1' },
    triggers,
    failover: { mode: 'automatic', requireFreshBackups: true },
    resources: resources.map(([n, source]) => ({
      app: name,
      name: n,
      rpoSeconds: 900,
      dependsOn: [],
      source,
    })),
    validate: [],
  };
}
