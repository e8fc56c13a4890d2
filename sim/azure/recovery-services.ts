/**
 * Simulated Microsoft.RecoveryServices (Recovery Services vaults and their backups), served from
 * `world.azure`:
 *
 * - `vaults`: vault GET bodies (`id`, `location`, ...); `Vaults_Get` answers with the one whose `id`
 *   matches, 404 `ResourceNotFound` otherwise. A list below a missing vault is a 404 too.
 * - `recoveryPoints`: items of the `RecoveryPoints_List` `value[]`; an item belongs to the protected
 *   item its `id` starts with (`{protectedItemId}/recoveryPoints/...`).
 *
 * Container and item names hold `;` (`IaasVMContainer;iaasvmcontainerv2;rg;vm`), which SDKs send
 * percent-encoded; the router decodes segments before matching, and ids match case-insensitively.
 * `$filter` is not applied.
 */
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import { type ArmRoute, type ArmRouteContext, pageOf, resourceNotFound } from './http-client.ts';
import { pointsUnder } from './point-index.ts';

const VAULT =
  '^/subscriptions/[^/]+/resourcegroups/([^/]+)/providers/microsoft\\.recoveryservices/vaults/([^/]+)';
const VAULT_TYPE = 'Microsoft.RecoveryServices/vaults';

type Item = Record<string, unknown>;

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');

function findVault(cloud: SimulatedCloud, context: ArmRouteContext): Item | undefined {
  const vaultPath = context.match[0].replace(/^(.*?\/vaults\/[^/]+).*$/, '$1');
  return cloud.world.azure.vaults.find((v) => idOf(v) === vaultPath);
}

/** The Recovery Services operations the simulation serves. */
export const recoveryServicesRoutes: readonly ArmRoute[] = [
  {
    method: 'GET',
    path: new RegExp(`${VAULT}$`),
    api: 'recoveryservices:Vaults_Get',
    handle: (context) => {
      const vault = findVault(context.cloud, context);
      return vault
        ? { status: 200, body: vault }
        : resourceNotFound(VAULT_TYPE, context.match[2] ?? '', context.match[1] ?? '');
    },
  },
  {
    method: 'GET',
    path: new RegExp(
      `${VAULT}/backupfabrics/[^/]+/protectioncontainers/[^/]+/protecteditems/[^/]+/recoverypoints$`,
    ),
    api: 'recoveryservices:RecoveryPoints_List',
    handle: (context) => {
      if (!findVault(context.cloud, context))
        return resourceNotFound(VAULT_TYPE, context.match[2] ?? '', context.match[1] ?? '');
      const prefix = `${context.request.path}/`;
      return pageOf(context, pointsUnder(context.cloud.world.azure.recoveryPoints, prefix));
    },
  },
];
