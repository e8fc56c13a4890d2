/**
 * Simulated AWS Backup, read side (restJson1): recovery point and job listings over `world.aws`, with
 * the filters and opaque pagination of the real API. Records are answered as stored, since the world
 * keeps them in wire shape (epoch-second timestamps). A record belongs to the region of its vault ARN
 * (jobs: of the vault they write to, copy jobs: of their source vault), as the service is regional.
 * HTTP bindings are those of the SDK's model (`@aws-sdk/client-backup`, `ListRecoveryPointsByBackupVault$`...).
 */
import { parseArn } from '#shared/domain/identifiers.ts';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { backupIndex, regionOf, vaultNameOf } from './backup-index.ts';
import { paginate, type QueryParams, type RestJsonRoute } from './protocol.ts';

type WireRecord = Readonly<Record<string, unknown>>;

/** The page size bounds of the Backup List* APIs (`MaxResults`: 1 to 1000). */
const MAX_RESULTS = { min: 1, max: 1000 } as const;

/** The read operations of AWS Backup that Standby's inventory uses. */
export const backupReadRoutes: readonly RestJsonRoute[] = [
  {
    operation: 'ListRecoveryPointsByBackupVault',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/recovery-points',
    handle: (cloud, { region, labels, query }) => {
      const vaultName = labels['BackupVaultName']!;
      const accountId = query.string('backupVaultAccountId');
      requireVault(cloud, region, vaultName, accountId);
      const filters = {
        resourceArn: query.string('resourceArn'),
        resourceType: query.string('resourceType'),
        backupPlanId: query.string('backupPlanId'),
        createdBefore: query.epochSeconds('createdBefore'),
        createdAfter: query.epochSeconds('createdAfter'),
        parentRecoveryPointArn: query.string('parentRecoveryPointArn'),
      };
      const filtered = Object.values(filters).some((f) => f !== undefined);
      const points = backupIndex(cloud.world.aws)
        .pointsOf(region, vaultName)
        .flatMap(({ record: p, account }) =>
          (accountId === undefined || account === undefined || account === accountId) &&
          (!filtered ||
            (matches(p['ResourceArn'], filters.resourceArn) &&
              matches(p['ResourceType'], filters.resourceType) &&
              matches(createdBy(p)['BackupPlanId'], filters.backupPlanId) &&
              matches(p['ParentRecoveryPointArn'], filters.parentRecoveryPointArn) &&
              inRange(p['CreationDate'], filters.createdAfter, filters.createdBefore)))
            ? [p]
            : [],
        );
      const page = pageOf(points, query, ['ListRecoveryPointsByBackupVault', region, vaultName, filters]);
      return { RecoveryPoints: page.items, NextToken: page.nextToken };
    },
  },
  {
    // The vault's settings as ListBackupVaults / DescribeBackupVault answer them (Vault Lock included).
    operation: 'DescribeBackupVault',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}',
    handle: (cloud, { region, labels, query }) => {
      const vaultName = labels['BackupVaultName']!;
      const accountId = query.string('backupVaultAccountId');
      requireVault(cloud, region, vaultName, accountId);
      const vault = cloud.world.aws.backupVaults.find((v) => {
        const arn = parseArn(String(v['BackupVaultArn'] ?? ''));
        return (
          v['BackupVaultName'] === vaultName &&
          arn?.region === region &&
          (accountId === undefined || arn.account === accountId)
        );
      });
      // A vault known only from its points: the service has it, with no lock.
      return vault ?? { BackupVaultName: vaultName, VaultType: 'BACKUP_VAULT', Locked: false };
    },
  },
  {
    operation: 'DescribeRecoveryPoint',
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}',
    handle: (cloud, { region, labels, query }) => {
      const vaultName = labels['BackupVaultName']!;
      const accountId = query.string('backupVaultAccountId');
      requireVault(cloud, region, vaultName, accountId);
      const point = backupIndex(cloud.world.aws)
        .pointsByArn(labels['RecoveryPointArn']!)
        .find((p) => inVault(p, region, vaultName, accountId));
      if (!point)
        throw new SimulatedApiError(
          'ResourceNotFoundException',
          400,
          `Recovery point ${labels['RecoveryPointArn']} not found in backup vault ${vaultName}`,
        );
      return point;
    },
  },
  {
    operation: 'ListRecoveryPointsByResource',
    method: 'GET',
    path: '/resources/{ResourceArn}/recovery-points',
    handle: (cloud, { region, labels, query }) => {
      const resourceArn = labels['ResourceArn']!;
      // Every point in this region's vaults is managed by AWS Backup here, so the flag changes nothing.
      query.boolean('managedByAWSBackupOnly');
      const points = newestFirst(
        cloud.world.aws.recoveryPoints.filter(
          (p) => p['ResourceArn'] === resourceArn && regionOf(p['BackupVaultArn']) === region,
        ),
      ).map(byResourceShape);
      const page = pageOf(points, query, ['ListRecoveryPointsByResource', region, resourceArn]);
      return { RecoveryPoints: page.items, NextToken: page.nextToken };
    },
  },
  {
    operation: 'ListBackupJobs',
    method: 'GET',
    path: '/backup-jobs',
    handle: (cloud, { region, query }) => {
      const filters = jobFilters(query);
      const vaultName = query.string('backupVaultName');
      const jobs = newestFirst(
        cloud.world.aws.backupJobs.filter(
          (j) =>
            regionOf(j['BackupVaultArn'] ?? j['ResourceArn']) === region &&
            matches(vaultNameOf(j), vaultName) &&
            jobMatches(j, filters),
        ),
      );
      const page = pageOf(jobs, query, ['ListBackupJobs', region, vaultName, filters]);
      return { BackupJobs: page.items, NextToken: page.nextToken };
    },
  },
  {
    operation: 'ListCopyJobs',
    method: 'GET',
    path: '/copy-jobs',
    handle: (cloud, { region, query }) => {
      const filters = jobFilters(query);
      const destinationVaultArn = query.string('destinationVaultArn');
      const sourceRecoveryPointArn = query.string('sourceRecoveryPointArn');
      const jobs = newestFirst(
        cloud.world.aws.copyJobs.filter(
          (j) =>
            // A copy job is listed in the region it copies from.
            regionOf(j['SourceBackupVaultArn'] ?? j['SourceRecoveryPointArn'] ?? j['ResourceArn']) ===
              region &&
            matches(j['DestinationBackupVaultArn'], destinationVaultArn) &&
            matches(j['SourceRecoveryPointArn'], sourceRecoveryPointArn) &&
            jobMatches(j, filters),
        ),
      );
      const page = pageOf(jobs, query, [
        'ListCopyJobs',
        region,
        destinationVaultArn,
        sourceRecoveryPointArn,
        filters,
      ]);
      return { CopyJobs: page.items, NextToken: page.nextToken };
    },
  },
];

/** True when `record` is in vault `name` of `region` (and of `accountId`, when given). */
export function inVault(
  record: WireRecord,
  region: string,
  name: string,
  accountId: string | undefined,
): boolean {
  const arn = typeof record['BackupVaultArn'] === 'string' ? parseArn(record['BackupVaultArn']) : undefined;
  // A record without a vault ARN has no region of its own; it is taken to be wherever it is asked for.
  if (arn && (arn.region !== region || (accountId !== undefined && arn.account !== accountId))) return false;
  return vaultNameOf(record) === name;
}

/**
 * Throws the service's `ResourceNotFoundException` for a vault that does not exist in `region`. A
 * vault exists when `aws.backupVaults` lists it or any recovery point or job names it.
 */
export function requireVault(
  cloud: SimulatedCloud,
  region: string,
  name: string,
  accountId: string | undefined,
): void {
  if (!backupIndex(cloud.world.aws).hasVault(region, name, accountId))
    throw new SimulatedApiError(
      'ResourceNotFoundException',
      400,
      `Backup vault ${name} does not exist in ${region}${accountId ? ` for account ${accountId}` : ''}`,
    );
}

function createdBy(record: WireRecord): WireRecord {
  const value = record['CreatedBy'];
  return value && typeof value === 'object' ? (value as WireRecord) : {};
}

function matches(value: unknown, wanted: string | undefined): boolean {
  return wanted === undefined || value === wanted;
}

/** True when the epoch-seconds `value` is after `after` and before `before` (each when given). */
function inRange(value: unknown, after: number | undefined, before: number | undefined): boolean {
  if (after === undefined && before === undefined) return true;
  if (typeof value !== 'number') return false;
  return (after === undefined || value > after) && (before === undefined || value < before);
}

function newestFirst(records: readonly WireRecord[]): WireRecord[] {
  const time = (r: WireRecord) => (typeof r['CreationDate'] === 'number' ? r['CreationDate'] : 0);
  return [...records].sort((a, b) => time(b) - time(a));
}

function pageOf(records: readonly WireRecord[], query: QueryParams, scope: unknown) {
  return paginate(records, {
    maxResults: query.int('maxResults', MAX_RESULTS) ?? MAX_RESULTS.max,
    nextToken: query.string('nextToken'),
    scope: JSON.stringify(scope),
  });
}

/** The filters ListBackupJobs and ListCopyJobs share. */
function jobFilters(query: QueryParams) {
  return {
    resourceArn: query.string('resourceArn'),
    state: query.string('state'),
    resourceType: query.string('resourceType'),
    accountId: query.string('accountId'),
    parentJobId: query.string('parentJobId'),
    messageCategory: query.string('messageCategory'),
    createdAfter: query.epochSeconds('createdAfter'),
    createdBefore: query.epochSeconds('createdBefore'),
    completeAfter: query.epochSeconds('completeAfter'),
    completeBefore: query.epochSeconds('completeBefore'),
  };
}

function jobMatches(job: WireRecord, f: ReturnType<typeof jobFilters>): boolean {
  return (
    matches(job['ResourceArn'], f.resourceArn) &&
    matches(job['State'], f.state) &&
    matches(job['ResourceType'], f.resourceType) &&
    matches(job['AccountId'], f.accountId) &&
    matches(job['ParentJobId'], f.parentJobId) &&
    matches(job['MessageCategory'], f.messageCategory) &&
    inRange(job['CreationDate'], f.createdAfter, f.createdBefore) &&
    inRange(job['CompletionDate'], f.completeAfter, f.completeBefore)
  );
}

/** ListRecoveryPointsByResource answers a narrower shape than the vault listing (no vault ARN, no lifecycle). */
const BY_RESOURCE_FIELDS = [
  'RecoveryPointArn',
  'CreationDate',
  'Status',
  'StatusMessage',
  'EncryptionKeyArn',
  'BackupVaultName',
  'IsParent',
  'ParentRecoveryPointArn',
  'ResourceName',
  'VaultType',
  'IndexStatus',
  'IndexStatusMessage',
  'EncryptionKeyType',
  'AggregatedScanResult',
] as const;

function byResourceShape(point: WireRecord): WireRecord {
  const shaped: Record<string, unknown> = {};
  for (const field of BY_RESOURCE_FIELDS) if (point[field] !== undefined) shaped[field] = point[field];
  if (shaped['BackupVaultName'] === undefined) shaped['BackupVaultName'] = vaultNameOf(point);
  // The by-resource shape names the size BackupSizeBytes where the vault listing says BackupSizeInBytes.
  if (point['BackupSizeInBytes'] !== undefined) shaped['BackupSizeBytes'] = point['BackupSizeInBytes'];
  return shaped;
}
