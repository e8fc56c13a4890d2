/**
 * The backup inventory of a simulated world: a recovery point for every resource the engine asks
 * about, named the way the simulated clouds expect (`workload.recoveryPointOf`) — two minutes old, or
 * two days old once the app's backups went stale (`AppSpec.staleFrom`), which the fresh-backups gate
 * refuses. A call is a scheduler point like every other port call; it never fails (the real
 * inventories report a failed read per resource, which the gates turn into a refusal).
 */

import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { TaskContext } from './ports.ts';
import { recoveryPointOf, type Workload } from './workload.ts';

/** Fresh points for every resource, behind a scheduler point. */
export class TaskInventory implements BackupInventory {
  constructor(
    private readonly workload: Workload,
    private readonly clock: Clock,
    private readonly ctx: TaskContext,
  ) {}

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    await this.ctx.scheduler.point(
      this.ctx.task,
      `inventory.observe ${requests.map((r) => r.key).join(',')}`,
    );
    const now = this.clock.now().getTime();
    return new Map(
      requests.map((r): [string, ResourceObservation] => {
        const [app, name] = r.key.split('/') as [string, string];
        const staleFrom = this.workload.apps.find((a) => a.name === app)?.staleFrom ?? null;
        const createdAt = new Date(now - (staleFrom !== null && now >= staleFrom ? 2 * 86_400_000 : 120_000));
        const location =
          r.source.kind === 'aws-backup'
            ? ({ kind: 'aws-vault', vaultArn: r.source.vaultArn } as const)
            : ({ kind: 'azure-region', region: r.recoveryRegion } as const);
        const point = {
          id: recoveryPointOf(this.workload.flavour, app, name),
          location,
          state: 'completed',
          providerStatus: 'COMPLETED',
          createdAt,
          isCopy: false,
        } as const;
        return [r.key, { ok: true, points: [point], jobs: [] }];
      }),
    );
  }
}
