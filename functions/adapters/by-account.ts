/**
 * Routers that send each call to the adapter of the AWS account it concerns: a resource's vault
 * account (recovery points, restores), a plan's routing account (hosted zone, routing controls). The
 * composition root builds one adapter per account, over clients with that account's assumed-role
 * credentials; `undefined` is the controller's own account.
 */

import { builtPerKey } from '#platform/lazy.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import { accountOfRouting, accountOfSource } from '#shared/domain/plan-accounts.ts';
import type { ResourceObservation } from '#shared/domain/recovery-point.ts';
import type { BackupInventory, InventoryRequest } from '#shared/ports/backup-inventory.ts';
import type {
  ActiveSite,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
  TrafficSwitch,
} from '#shared/ports/recovery-actions.ts';

/** The adapter of an account (`undefined`: the controller's own). */
export type ForAccount<T> = (account: string | undefined) => T;

/** Observes each account's resources with that account's inventory, all accounts at once. */
export class ByAccountInventory implements BackupInventory {
  constructor(private readonly inventoryFor: ForAccount<BackupInventory>) {}

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const groups = new Map<string | undefined, InventoryRequest[]>();
    for (const r of requests) {
      const account = accountOfSource(r.source);
      groups.set(account, [...(groups.get(account) ?? []), r]);
    }
    const observed = await Promise.all(
      [...groups].map(([account, group]) => this.inventoryFor(account).observe(group)),
    );
    return new Map(observed.flatMap((m) => [...m]));
  }
}

/** Starts and follows each restore in its vault's account. */
export class ByAccountRestoreService implements RestoreService {
  constructor(private readonly serviceFor: ForAccount<RestoreService>) {}

  #for(resource: ProtectedResource): RestoreService {
    return this.serviceFor(accountOfSource(resource.source));
  }

  start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    return this.#for(request.resource).start(request);
  }

  describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    return this.#for(resource).describe(resource, jobId);
  }
}

/** Reads and switches a plan's traffic in its routing account. */
export class ByAccountTrafficSwitch implements TrafficSwitch {
  constructor(private readonly switchFor: ForAccount<TrafficSwitch>) {}

  activeSite(plan: RecoveryPlan): Promise<ActiveSite> {
    return this.switchFor(accountOfRouting(plan.routing)).activeSite(plan);
  }

  switchTo(plan: RecoveryPlan, site: 'primary' | 'recovery'): Promise<void> {
    return this.switchFor(accountOfRouting(plan.routing)).switchTo(plan, site);
  }
}

/** One adapter per account, made on first use. */
export function perAccount<T>(make: (account: string | undefined) => T): ForAccount<T> {
  return builtPerKey(make);
}
