/**
 * What the controller's managed identity may do, derived from the plans: one grant per resource a
 * plan names, scoped to that resource (or, for the Data Protection cross-region calls, which ARM
 * authorises on the vault's resource group, to that group; or, for the tear-down of what a drill
 * restored, to the group the drill restores into — the resource does not exist before the drill),
 * with a named built-in role or a custom role listing exactly the actions the adapters call. Nothing
 * at subscription scope; no Owner, no Contributor. Pure: the template generator turns the grants into
 * role assignments.
 */
import { drillPlan } from '#shared/domain/drill.ts';
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import type { BackupSource, RecoveryPlan, Routing } from '#shared/domain/plan.ts';
import { vaultIdOf } from '../adapters/arm-pipeline.ts';
import { armTypeOf, type DeletableTypeKey, requestedTargetOf } from '../adapters/restored-resource-types.ts';

/** Built-in roles the template assigns, by their fixed role definition ids. */
export const BUILT_IN_ROLES = {
  trafficManagerContributor: {
    name: 'Traffic Manager Contributor',
    id: 'a4b10055-b0c7-44c2-b00f-c7b5b3550cf7',
  },
  dnsZoneContributor: { name: 'DNS Zone Contributor', id: 'befefa01-2a29-4197-83a8-272ff33ce314' },
  keyVaultSecretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  eventGridDataSender: { name: 'EventGrid Data Sender', id: 'd5a91429-5739-47e2-a06b-3470a27159e7' },
  monitoringMetricsPublisher: {
    name: 'Monitoring Metrics Publisher',
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
  },
  storageBlobDataOwner: { name: 'Storage Blob Data Owner', id: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' },
} as const;
/** A key of {@link BUILT_IN_ROLES}. */
export type BuiltInRole = keyof typeof BUILT_IN_ROLES;

/** Prefix of the Data Protection actions ARM authorises at resource-group scope (`…/locations/{region}/…`). */
const DP_LOCATION = 'Microsoft.DataProtection/subscriptions/resourceGroups/providers/locations';
/** Prefix of a Recovery Services protected item's actions. */
const RS_ITEM = 'Microsoft.RecoveryServices/Vaults/backupFabrics/protectionContainers/protectedItems';

/** Custom roles: the actions the Azure adapters call, and nothing else (see azure/adapters/). */
export const CUSTOM_ROLES = {
  backupRestore: {
    roleName: 'Standby backup restore',
    description:
      'Reads recovery points and jobs of backed-up items and starts restores from them (Standby controller).',
    actions: [
      // DataProtectionInventory / DataProtectionRestoreService
      'Microsoft.DataProtection/backupVaults/read',
      'Microsoft.DataProtection/backupVaults/backupInstances/read',
      'Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints/read',
      'Microsoft.DataProtection/backupVaults/backupInstances/restore/action',
      'Microsoft.DataProtection/backupVaults/backupJobs/read',
      'Microsoft.DataProtection/backupVaults/operationStatus/read',
      'Microsoft.DataProtection/backupVaults/backupInstances/operationResults/read',
      // RecoveryServicesInventory / RecoveryServicesRestoreService
      'Microsoft.RecoveryServices/Vaults/read',
      `${RS_ITEM}/read`,
      `${RS_ITEM}/recoveryPoints/read`,
      `${RS_ITEM}/recoveryPoints/restore/action`,
      `${RS_ITEM}/operationsStatus/read`,
      `${RS_ITEM}/operationResults/read`,
      'Microsoft.RecoveryServices/Vaults/backupJobs/read',
    ],
  },
  crossRegionRestore: {
    roleName: 'Standby cross-region restore',
    description:
      "Reads a Backup vault's secondary-region recovery points and starts and follows cross-region restores (Standby controller).",
    actions: [
      `${DP_LOCATION}/fetchSecondaryRecoveryPoints/action`,
      `${DP_LOCATION}/crossRegionRestore/action`,
      `${DP_LOCATION}/validateCrossRegionRestore/action`,
      `${DP_LOCATION}/fetchCrossRegionRestoreJob/action`,
      `${DP_LOCATION}/fetchCrossRegionRestoreJobs/action`,
      'Microsoft.DataProtection/locations/operationStatus/read',
      'Microsoft.DataProtection/locations/operationResults/read',
    ],
  },
  // ArmRestoredResourceCleaner: a restored managed disk (GET, DELETE by id).
  drillDiskCleanup: {
    roleName: 'Standby drill disk clean-up',
    description:
      'Reads and deletes the managed disks Standby drills restore into this resource group (Standby controller).',
    actions: ['Microsoft.Compute/disks/read', 'Microsoft.Compute/disks/delete'],
  },
  // ArmRestoredResourceCleaner: a restored VM — its GET, the PATCH that sets deleteOption Delete on its
  // own disks and NICs (a VM update re-links its NICs: join), its DELETE, which deletes them with it.
  drillVmCleanup: {
    roleName: 'Standby drill VM clean-up',
    description:
      'Deletes the VMs Standby drills restore into this resource group, with their own disks and NICs (Standby controller).',
    actions: [
      'Microsoft.Compute/virtualMachines/read',
      'Microsoft.Compute/virtualMachines/write',
      'Microsoft.Compute/virtualMachines/delete',
      'Microsoft.Compute/disks/read',
      'Microsoft.Compute/disks/delete',
      'Microsoft.Network/networkInterfaces/read',
      'Microsoft.Network/networkInterfaces/join/action',
      'Microsoft.Network/networkInterfaces/delete',
    ],
  },
} as const;
/** A key of {@link CUSTOM_ROLES}. */
export type CustomRole = keyof typeof CUSTOM_ROLES;

/** One permission the identity needs on resources the plans name. */
export interface Grant {
  /** The ARM id it is scoped to: a resource, or a resource group. */
  readonly scope: string;
  readonly role:
    | { readonly kind: 'builtIn'; readonly key: BuiltInRole }
    | { readonly kind: 'custom'; readonly key: CustomRole };
  /** Which plans need it, and for what. */
  readonly why: string;
}

const resourceGroupOf = (id: string): string => {
  const p = parseAzureId(id)!;
  return `/subscriptions/${p.subscriptionId}/resourceGroups/${p.resourceGroup}`;
};

/** What each backup source needs; adding a source kind fails to compile until it is listed. */
const SOURCE_GRANTS: {
  readonly [K in BackupSource['kind']]: (source: Extract<BackupSource, { kind: K }>) => Omit<Grant, 'why'>[];
} = {
  'aws-backup': () => [],
  'azure-backup': (s) => {
    const vault = vaultIdOf(s.backupInstanceId)!;
    return [
      { scope: vault, role: { kind: 'custom', key: 'backupRestore' } },
      { scope: resourceGroupOf(vault), role: { kind: 'custom', key: 'crossRegionRestore' } },
    ];
  },
  'azure-recovery-services': (s) => [
    { scope: vaultIdOf(s.protectedItemId)!, role: { kind: 'custom', key: 'backupRestore' } },
  ],
};

/** What each routing needs; adding a routing kind fails to compile until it is listed. */
const ROUTING_GRANTS: {
  readonly [K in Routing['kind']]: (routing: Extract<Routing, { kind: K }>) => Omit<Grant, 'why'>[];
} = {
  route53: () => [],
  azureTrafficManager: (r) => [
    { scope: r.profileId, role: { kind: 'builtIn', key: 'trafficManagerContributor' } },
  ],
  azureDns: (r) => [{ scope: r.zoneId, role: { kind: 'builtIn', key: 'dnsZoneContributor' } }],
};

/** The clean-up role of each type the drill tear-down deletes; adding a type fails to compile until it is listed. */
const CLEANUP_ROLES = {
  'microsoft.compute/disks': 'drillDiskCleanup',
  'microsoft.compute/virtualmachines': 'drillVmCleanup',
} as const satisfies { readonly [K in DeletableTypeKey]: CustomRole };

/**
 * The clean-up grants of a plan's drills: for each resource whose drill restores a type the tear-down
 * deletes, that type's role on the group the drill restores into (read from the drill's request, the
 * plan's with the resource's `drill.request` fields). A plan whose drill cannot run gets none.
 */
function drillCleanupGrants(plan: RecoveryPlan): { grant: Omit<Grant, 'why'>; resource: string }[] {
  const drill = drillPlan(plan);
  if (!('plan' in drill)) return [];
  return drill.plan.resources.flatMap((r) => {
    const target = requestedTargetOf(r);
    const type = target ? armTypeOf(target)?.toLowerCase() : undefined;
    const role = type && type in CLEANUP_ROLES ? CLEANUP_ROLES[type as DeletableTypeKey] : undefined;
    if (!target || !role) return [];
    return [
      { grant: { scope: resourceGroupOf(target), role: { kind: 'custom', key: role } }, resource: r.name },
    ];
  });
}

/**
 * The grants the plans need, one per (scope, role), in the order first needed; `why` names every
 * plan that needs it.
 */
export function planGrants(plans: readonly RecoveryPlan[]): Grant[] {
  const byKey = new Map<string, { grant: Omit<Grant, 'why'>; needs: string[] }>();
  const add = (grant: Omit<Grant, 'why'>, need: string) => {
    const key = `${normalizeAzureId(grant.scope)}|${grant.role.kind}:${grant.role.key}`;
    const entry = byKey.get(key) ?? { grant, needs: [] };
    if (!entry.needs.includes(need)) entry.needs.push(need);
    byKey.set(key, entry);
  };
  for (const plan of plans) {
    for (const r of plan.resources)
      for (const g of (SOURCE_GRANTS[r.source.kind] as (s: BackupSource) => Omit<Grant, 'why'>[])(r.source))
        add(g, `${plan.name}/${r.name}`);
    if (plan.routing)
      for (const g of (ROUTING_GRANTS[plan.routing.kind] as (r: Routing) => Omit<Grant, 'why'>[])(
        plan.routing,
      ))
        add(g, `${plan.name} routing`);
    for (const { grant, resource } of drillCleanupGrants(plan))
      add(grant, `${plan.name}/${resource} drill clean-up`);
  }
  return [...byKey.values()].map(({ grant, needs }) => ({ ...grant, why: needs.join(', ') }));
}
