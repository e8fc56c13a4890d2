/**
 * Simulated Microsoft.DataProtection (Azure Backup vaults), API 2025-07-01, served from `world.azure`:
 *
 * - `vaults`: backup vault GET bodies (`id`, `location`, ...); `BackupVaults_Get` answers with the
 *   one whose `id` matches, 404 `ResourceNotFound` otherwise. A list below a missing vault is a 404 too.
 * - `recoveryPoints`: items of the `RecoveryPoints_List` `value[]`; an item belongs to the backup
 *   instance its `id` starts with (`{backupInstanceId}/recoveryPoints/...`).
 * - `secondaryRecoveryPoints`: points of cross-region restore, listed by
 *   `FetchSecondaryRecoveryPoints_List` in a region. Each item carries one field the real wire item
 *   does not: a top-level `location`, the region it is listed in (e.g. `northeurope`). It is removed
 *   from the answer, which is otherwise the item as written.
 * - `jobs`: items of the `Jobs_List` (`backupJobs`) `value[]`, by vault (`{vaultId}/backupJobs/...`).
 *   Cross-region restore jobs (marked with a `location`, see ./restore.ts) are not listed: the
 *   service shows them in their region only (`FetchCrossRegionRestoreJobs_List`).
 *
 * Ids and regions match case-insensitively (regions also without spaces), as Azure does.
 * `$filter` is not applied: the points and jobs of the world are few, and callers filter again.
 */
import { normalizeRegion } from '#shared/domain/freshness.ts';
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import {
  type ArmResponse,
  type ArmRoute,
  type ArmRouteContext,
  armError,
  pageOf,
  resourceNotFound,
  skipTokenOf,
} from './http-client.ts';
import { pointsUnder } from './point-index.ts';
import { crossRegionJobLocation } from './restore.ts';

const PROVIDER = '^/subscriptions/[^/]+/resourcegroups/([^/]+)/providers/microsoft\\.dataprotection';
const VAULT = `${PROVIDER}/backupvaults/([^/]+)`;
const VAULT_TYPE = 'Microsoft.DataProtection/backupVaults';

type Item = Record<string, unknown>;

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');

/** The path of the vault a request is under: the first `/backupvaults/{name}` of it. */
function vaultPathOf(path: string): string {
  return /^.*?\/backupvaults\/[^/]+/.exec(path)?.[0] ?? path;
}

function findVault(cloud: SimulatedCloud, vaultPath: string): Item | undefined {
  return cloud.world.azure.vaults.find((v) => idOf(v) === vaultPath);
}

/** Serves `items` under the vault of the request, or the vault's 404. */
function underVault(context: ArmRouteContext, list: (vaultPath: string) => readonly Item[]): ArmResponse {
  const [, resourceGroup = '', vaultName = ''] = context.match;
  const vaultPath = vaultPathOf(context.request.path);
  if (!findVault(context.cloud, vaultPath)) return resourceNotFound(VAULT_TYPE, vaultName, resourceGroup);
  return pageOf(context, list(vaultPath));
}

function secondaryPoints(context: ArmRouteContext): ArmResponse {
  const { request, cloud } = context;
  const [, , location = ''] = context.match;
  const token = skipTokenOf(request);
  const asked = token ?? (request.body as Record<string, unknown> | undefined);
  if (request.method === 'GET' && !token)
    return armError(
      400,
      'BadRequest',
      'fetchSecondaryRecoveryPoints is a POST; a GET must carry the $skipToken of a nextLink.',
    );
  const sourceBackupInstanceId = asked?.['sourceBackupInstanceId'];
  const sourceRegion = asked?.['sourceRegion'];
  if (typeof sourceBackupInstanceId !== 'string' || typeof sourceRegion !== 'string')
    return armError(
      400,
      'BadRequest',
      `The request body must give sourceBackupInstanceId and sourceRegion (strings); got ${JSON.stringify(request.body ?? null)}.`,
    );
  const instance = parseAzureId(sourceBackupInstanceId);
  const vaultPath = vaultPathOf(normalizeAzureId(sourceBackupInstanceId));
  const vault = findVault(cloud, vaultPath);
  if (!instance || !vault)
    return resourceNotFound(
      VAULT_TYPE,
      instance?.segments[0]?.[1] ?? sourceBackupInstanceId,
      instance?.resourceGroup ?? '',
    );
  if (normalizeRegion(String(vault['location'] ?? '')) !== normalizeRegion(sourceRegion))
    return armError(
      400,
      'BadRequest',
      `sourceRegion "${sourceRegion}" is not the region of the source vault (${String(vault['location'])}).`,
    );
  const prefix = `${normalizeAzureId(sourceBackupInstanceId)}/recoverypoints/`;
  const items = cloud.world.azure.secondaryRecoveryPoints
    .filter(
      (p) =>
        idOf(p).startsWith(prefix) &&
        normalizeRegion(String(p['location'] ?? '')) === normalizeRegion(location),
    )
    .map(({ location: _listedIn, ...wire }) => wire);
  return pageOf(context, items, { sourceBackupInstanceId, sourceRegion });
}

/** The Data Protection operations the simulation serves. */
export const dataProtectionRoutes: readonly ArmRoute[] = [
  {
    method: 'GET',
    path: new RegExp(`${VAULT}$`),
    api: 'dataprotection:BackupVaults_Get',
    handle: ({ cloud, request, match }) => {
      const vault = findVault(cloud, request.path);
      return vault
        ? { status: 200, body: vault }
        : resourceNotFound(VAULT_TYPE, match[2] ?? '', match[1] ?? '');
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${VAULT}/backupinstances/[^/]+/recoverypoints$`),
    api: 'dataprotection:RecoveryPoints_List',
    handle: (context) =>
      underVault(context, () => {
        const prefix = `${context.request.path.replace(/\/recoverypoints$/, '')}/recoverypoints/`;
        return pointsUnder(context.cloud.world.azure.recoveryPoints, prefix);
      }),
  },
  {
    method: 'GET',
    path: new RegExp(`${VAULT}/backupjobs$`),
    api: 'dataprotection:Jobs_List',
    handle: (context) =>
      underVault(context, (vaultPath) =>
        context.cloud.world.azure.jobs.filter(
          (j) => idOf(j).startsWith(`${vaultPath}/backupjobs/`) && !crossRegionJobLocation(j),
        ),
      ),
  },
  ...(['POST', 'GET'] as const).map(
    (method): ArmRoute => ({
      method,
      path: new RegExp(`${PROVIDER}/locations/([^/]+)/fetchsecondaryrecoverypoints$`),
      api: 'dataprotection:FetchSecondaryRecoveryPoints_List',
      handle: secondaryPoints,
    }),
  ),
];
