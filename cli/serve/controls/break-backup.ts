/**
 * "Break a backup": the backup of one resource that is due next fails. In the simulated world its
 * schedule skips that slot (no new recovery point in any vault), and for an AWS resource a FAILED job
 * is recorded (ListBackupJobs) and AWS Backup's "Backup Job State Change" event is delivered through
 * the same path as `POST /events`. Azure resources get the skipped point only (the simulated Azure
 * jobs list holds restore jobs).
 */
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';

/** What breaking a backup did. */
export interface BrokenBackup {
  readonly app: string;
  readonly resource: string;
  /** No backup of the resource is taken until this time. */
  readonly noBackupUntil: string;
  /** The AWS Backup event delivered for the failed job, when the resource is on AWS. */
  readonly event?: unknown;
}

/**
 * 1. Find the resource (by its plan name; default: the app's first resource that has a schedule).
 * 2. Make its schedule skip the next slot; a resource without a schedule is an input error.
 * 3. On AWS, record the failed job and return its event for the caller to deliver.
 */
export function breakBackup(cloud: SimulatedCloud, plan: RecoveryPlan, resourceName?: string): BrokenBackup {
  const scheduleOf = (r: ProtectedResource) =>
    cloud.world.backups.find((b) => sameResource(b.resource, sourceIdOf(r)))?.resource;
  const candidates = plan.resources.filter((r) => scheduleOf(r) !== undefined);
  const resource =
    resourceName === undefined ? candidates[0] : plan.resources.find((r) => r.name === resourceName);
  if (!resource)
    throw new InvalidInputError(
      resourceName === undefined
        ? `no resource of ${plan.name} has a backup schedule in the world (backups[]); nothing to break`
        : `no resource "${resourceName}" in ${plan.name}; expected one of: ${plan.resources.map((r) => r.name).join(', ')}`,
    );
  const scheduled = scheduleOf(resource);
  const until = scheduled === undefined ? undefined : cloud.skipNextBackup(scheduled);
  if (!until)
    throw new InvalidInputError(
      `${plan.name}/${resource.name} has no backup schedule in the world (backups[]); those with one: ${candidates.map((r) => r.name).join(', ') || 'none'}`,
    );
  const broken = { app: plan.name, resource: resource.name, noBackupUntil: until.toISOString() };
  return resource.source.kind === 'aws-backup' ? { ...broken, event: failedJob(cloud, resource) } : broken;
}

/** The id a schedule names the resource by: its ARN, backup instance id or protected item id. */
export function sourceIdOf(resource: ProtectedResource): string {
  const source = resource.source;
  switch (source.kind) {
    case 'aws-backup':
      return source.resourceArn;
    case 'azure-backup':
      return source.backupInstanceId;
    case 'azure-recovery-services':
      return source.protectedItemId;
  }
}

/** ARNs compare exactly; Azure ids without regard to case, as Azure does. */
const sameResource = (a: string, b: string) =>
  a === b || (a.startsWith('/') && b.startsWith('/') && normalizeAzureId(a) === normalizeAzureId(b));

/** Records a FAILED backup job of `resource` now, and returns the event AWS Backup sends for it. */
function failedJob(cloud: SimulatedCloud, resource: ProtectedResource): unknown {
  const arn = sourceIdOf(resource);
  const [, , service = '', region = '', account = ''] = arn.split(':');
  const now = cloud.clock.now();
  const at = now.toISOString();
  const jobId = randomUUID();
  const message = 'Simulated failure (standby serve dashboard: break a backup)';
  const source = cloud.world.aws.recoveryPoints.find(
    (p) => p['ResourceArn'] === arn && String(p['BackupVaultArn'] ?? '').includes(`:${region}:`),
  );
  const vaultArn = source?.['BackupVaultArn'];
  cloud.world.aws.backupJobs.push({
    BackupJobId: jobId,
    AccountId: account,
    ...(vaultArn ? { BackupVaultArn: vaultArn, BackupVaultName: String(vaultArn).split(':').at(-1) } : {}),
    ResourceArn: arn,
    ResourceType: service,
    ResourceName: resource.name,
    CreationDate: now.getTime() / 1000,
    CompletionDate: now.getTime() / 1000,
    State: 'FAILED',
    StatusMessage: message,
  });
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Backup Job State Change',
    source: 'aws.backup',
    account,
    time: at.replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [],
    detail: {
      backupJobId: jobId,
      ...(vaultArn ? { backupVaultArn: vaultArn } : {}),
      creationDate: at,
      completionDate: at,
      resourceArn: arn,
      resourceType: service,
      state: 'FAILED',
      statusMessage: message,
    },
  };
}
