import type { BackupSource } from '../domain/plan.ts';
import type { ResourceObservation } from '../domain/recovery-point.ts';
import type { VaultProtection } from '../domain/vault-protection.ts';
import type { BackupInventory, InventoryRequest } from '../ports/backup-inventory.ts';

/** One inventory per kind of backup source; a kind without one is reported, not thrown. */
export type InventoriesByKind = Partial<Record<BackupSource['kind'], BackupInventory>>;

/** Routes each request to the inventory of its source kind and merges the answers. */
export class CompositeInventory implements BackupInventory {
  constructor(private readonly byKind: InventoriesByKind) {}

  async observe(requests: readonly InventoryRequest[]): Promise<ReadonlyMap<string, ResourceObservation>> {
    const groups = new Map<BackupSource['kind'], InventoryRequest[]>();
    for (const r of requests) {
      // Appended in place: copying the group per request would be quadratic in the requests.
      const group = groups.get(r.source.kind);
      if (group) group.push(r);
      else groups.set(r.source.kind, [r]);
    }
    const answers = await Promise.all(
      [...groups.entries()].map(async ([kind, group]) => {
        const inventory = this.byKind[kind];
        if (!inventory)
          return group.map((r) => [r.key, { ok: false, error: `no ${kind} reader is configured` }] as const);
        const observed = await inventory.observe(group);
        return group.map(
          (r) => [r.key, observed.get(r.key) ?? { ok: false, error: 'not returned by the reader' }] as const,
        );
      }),
    );
    return new Map<string, ResourceObservation>(answers.flat());
  }

  /** Asks every inventory that can read vault protection; each answers for the vaults it knows. */
  async protection(vaults: readonly string[], now: Date): Promise<readonly VaultProtection[]> {
    const readers = [...new Set(Object.values(this.byKind))].filter((i) => i.protection);
    const answers = await Promise.all(readers.map((i) => i.protection!(vaults, now)));
    return answers.flat();
  }
}
