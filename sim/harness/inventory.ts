/**
 * The backup inventory of a simulated world: a fresh recovery point for every resource the engine
 * asks about, named the way the simulated clouds expect (`workload.recoveryPointOf`). A call is a
 * scheduler point like every other port call; it never fails (the real inventories report a failed
 * read per resource, which the gates already turn into a refusal).
 */

import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type { Clock } from '#shared/ports/clock.ts';
import type { TaskContext } from './ports.ts';
import { type Flavour, recoveryPointOf } from './workload.ts';

/** Fresh points for every resource, behind a scheduler point. */
export class TaskInventory implements BackupInventory {
  constructor(
    private readonly flavour: Flavour,
    private readonly clock: Clock,
    private readonly ctx: TaskContext,
  ) {}

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    await this.ctx.scheduler.point(
      this.ctx.task,
      `inventory.observe ${requests.map((r) => r.key).join(',')}`,
    );
    const createdAt = new Date(this.clock.now().getTime() - 120_000);
    return new Map(
      requests.map((r): [string, ResourceObservation] => {
        const [app, name] = r.key.split('/') as [string, string];
        const location =
          r.source.kind === 'aws-backup'
            ? ({ kind: 'aws-vault', vaultArn: r.source.vaultArn } as const)
            : ({ kind: 'azure-region', region: r.recoveryRegion } as const);
        const point = {
          id: recoveryPointOf(this.flavour, app, name),
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
