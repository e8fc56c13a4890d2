/**
 * Simulated `GetRecoveryPointRestoreMetadata` (restJson1: `GET /backup-vaults/{BackupVaultName}/
 * recovery-points/{RecoveryPointArn}/restore-metadata?backupVaultAccountId=`), answered as the SDK
 * model's output: `BackupVaultArn`, `RecoveryPointArn`, `RestoreMetadata` (string to string) and
 * `ResourceType`.
 *
 * The metadata is the world's `aws.restoreMetadata` entry for the point when there is one (copied
 * from a real answer); otherwise it is what the service derives from the backed-up resource itself:
 * the keys that name it (its identifier, taken from its ARN), which is all a world without an entry
 * can know. Like the service, the point must be in the named vault of the region asked.
 */
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { inVault, requireVault } from './backup.ts';
import type { RestJsonRoute } from './protocol.ts';

type Item = Readonly<Record<string, unknown>>;

/** The last part of an ARN's resource (`db:case-db` → `case-db`, `table/t` → `t`). */
const lastName = (arn: string) => arn.split(/[:/]/).at(-1) ?? '';

/** What the service reports of a resource with no recorded answer: the keys naming it, per type. */
const DERIVED: Readonly<Record<string, (resourceArn: string) => Record<string, string>>> = {
  RDS: (arn) => ({ DBInstanceIdentifier: lastName(arn) }),
  Aurora: (arn) => ({ DBClusterIdentifier: lastName(arn), Engine: 'aurora-postgresql' }),
  DocumentDB: (arn) => ({ DBClusterIdentifier: lastName(arn), Engine: 'docdb' }),
  Neptune: (arn) => ({ DBClusterIdentifier: lastName(arn), Engine: 'neptune' }),
  DynamoDB: (arn) => ({ targetTableName: lastName(arn) }),
  EFS: (arn) => ({ 'file-system-id': lastName(arn) }),
  S3: (arn) => ({ DestinationBucketName: lastName(arn) }),
  EKS: (arn) => ({ clusterName: lastName(arn) }),
  Redshift: (arn) => ({ ClusterIdentifier: lastName(arn) }),
};

/** GetRecoveryPointRestoreMetadata: the point's restore metadata, or the service's 404. */
export function getRecoveryPointRestoreMetadata(
  cloud: SimulatedCloud,
  region: string,
  vaultName: string,
  pointArn: string,
  accountId: string | undefined,
): Record<string, unknown> {
  requireVault(cloud, region, vaultName, accountId);
  const point = cloud.world.aws.recoveryPoints.find(
    (p) => p['RecoveryPointArn'] === pointArn && inVault(p, region, vaultName, accountId),
  );
  if (!point)
    throw new SimulatedApiError(
      'ResourceNotFoundException',
      400,
      `Recovery point ${pointArn} not found in backup vault ${vaultName}`,
    );
  const recorded = cloud.world.aws.restoreMetadata.find((m: Item) => m['RecoveryPointArn'] === pointArn);
  const type = String(recorded?.['ResourceType'] ?? point['ResourceType'] ?? '');
  const metadata =
    (recorded?.['RestoreMetadata'] as Record<string, string> | undefined) ??
    DERIVED[type]?.(String(point['ResourceArn'] ?? '')) ??
    {};
  return {
    BackupVaultArn: point['BackupVaultArn'],
    RecoveryPointArn: pointArn,
    RestoreMetadata: { ...metadata },
    ...(type ? { ResourceType: type } : {}),
  };
}

/** The route, joining the other AWS Backup routes of the simulated `backup` service. */
export const restoreMetadataRoute: RestJsonRoute = {
  operation: 'GetRecoveryPointRestoreMetadata',
  method: 'GET',
  path: '/backup-vaults/{BackupVaultName}/recovery-points/{RecoveryPointArn}/restore-metadata',
  handle: (cloud, { region, labels, query }) =>
    getRecoveryPointRestoreMetadata(
      cloud,
      region,
      labels['BackupVaultName']!,
      labels['RecoveryPointArn']!,
      query.string('backupVaultAccountId'),
    ),
};
