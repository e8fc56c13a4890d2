/**
 * Simulated AWS Backup restores: `StartRestoreJob` and `DescribeRestoreJob`, answered from and
 * recorded in `world.aws.restoreJobs` (DescribeRestoreJob shape, epoch-second dates), so dumping the
 * world keeps them. A started job's progress is not stored but derived from the simulated clock when
 * read: RUNNING until `CreationDate + world.aws.restore.durationSeconds`, then COMPLETED — or FAILED
 * when its source resource or recovery point is listed in `world.aws.restore.fail`. Jobs written in the
 * world with a final status keep it.
 */
import { createHash } from 'node:crypto';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import type { RestJsonRoute } from './protocol.ts';

/** A restore job as kept in the world: the DescribeRestoreJob response, plus the token that started it. */
export type RestoreJobRecord = Record<string, unknown> & {
  RestoreJobId: string;
  CreationDate: number;
  Status: string;
};

/** The fields of a StartRestoreJob request the simulation reads (as on the wire). */
export interface StartRestoreJobRequest {
  readonly RecoveryPointArn?: unknown;
  readonly IamRoleArn?: unknown;
  readonly Metadata?: unknown;
  readonly ResourceType?: unknown;
  readonly IdempotencyToken?: unknown;
}

/** Statuses a job reaches on its own; records in them are not re-derived from the clock. */
const FINAL = new Set(['COMPLETED', 'FAILED', 'ABORTED']);

/** Keys kept in the world record that the real DescribeRestoreJob does not return. */
const PRIVATE_KEYS = ['IdempotencyToken', 'Metadata'] as const;

const badRequest = (code: string, message: string) => new SimulatedApiError(code, 400, message);

/**
 * Metadata keys the service refuses a restore without, per resource type, as the StartRestoreJob
 * reference states them ("You need to specify specific metadata to restore an Amazon EFS instance:
 * file-system-id ...") and the per-type restore pages of the developer guide name them. Kept here,
 * apart from the adapters' table, so the simulation catches a request the adapters get wrong.
 */
const REQUIRED_METADATA: Readonly<Record<string, readonly string[]>> = {
  EFS: ['file-system-id'],
  DynamoDB: ['targetTableName'],
  RDS: ['DBInstanceIdentifier'],
  Aurora: ['DBClusterIdentifier', 'Engine'],
  DocumentDB: ['DBClusterIdentifier', 'Engine'],
  Neptune: ['DBClusterIdentifier', 'Engine'],
};

function required(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw badRequest('MissingParameterValueException', `${name} is required`);
  return value;
}

/** A job id shaped like AWS's (upper-case UUID), the same for the same start in the same world. */
function jobIdFor(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What the restore creates: the ARN the metadata names for the common types, else a suffixed copy. */
function createdResourceArn(job: Record<string, unknown>, region: string, account: string): string {
  const metadata = (job.Metadata ?? {}) as Record<string, unknown>;
  const name = (key: string) => (typeof metadata[key] === 'string' ? (metadata[key] as string) : undefined);
  const type = String(job.ResourceType ?? '');
  const id = String(job.RestoreJobId).slice(0, 8).toLowerCase();
  if (type === 'RDS' && name('DBInstanceIdentifier'))
    return `arn:aws:rds:${region}:${account}:db:${name('DBInstanceIdentifier')}`;
  if ((type === 'Aurora' || type === 'DocumentDB' || type === 'Neptune') && name('DBClusterIdentifier'))
    return `arn:aws:rds:${region}:${account}:cluster:${name('DBClusterIdentifier')}`;
  if (type === 'DynamoDB' && name('targetTableName'))
    return `arn:aws:dynamodb:${region}:${account}:table/${name('targetTableName')}`;
  // A bucket ARN names neither region nor account.
  if (type === 'S3' && name('DestinationBucketName')) return `arn:aws:s3:::${name('DestinationBucketName')}`;
  if (type === 'EKS' && name('clusterName'))
    return `arn:aws:eks:${region}:${account}:cluster/${name('clusterName')}`;
  const source = String(job.SourceResourceArn ?? `arn:aws:backup:${region}:${account}:resource:restored`);
  const parts = source.split(':');
  if (parts[2] !== 's3') parts[3] = region;
  return `${parts.join(':')}-restore-${id}`;
}

function failsInWorld(cloud: SimulatedCloud, job: Record<string, unknown>): string | undefined {
  const candidates = [job.SourceResourceArn, job.RecoveryPointArn].filter((v) => typeof v === 'string');
  const point = cloud.world.aws.recoveryPoints.find((p) => p.RecoveryPointArn === job.RecoveryPointArn);
  if (typeof point?.ResourceArn === 'string') candidates.push(point.ResourceArn);
  return candidates.find((c) => cloud.world.aws.restore.fail.includes(c as string)) as string | undefined;
}

/** The job as DescribeRestoreJob answers it now: status, progress and completion derived from the clock. */
export function restoreJobView(cloud: SimulatedCloud, job: RestoreJobRecord): Record<string, unknown> {
  const view: Record<string, unknown> = { ...job };
  for (const key of PRIVATE_KEYS) delete view[key];
  if (FINAL.has(job.Status)) return view;
  const duration = cloud.world.aws.restore.durationSeconds;
  const now = cloud.clock.now().getTime() / 1000;
  const doneAt = job.CreationDate + duration;
  if (now < doneAt) {
    const percent = duration === 0 ? 0 : Math.floor(((now - job.CreationDate) / duration) * 100);
    return {
      ...view,
      Status: now - job.CreationDate < 1 ? 'PENDING' : 'RUNNING',
      PercentDone: `${percent}.00%`,
    };
  }
  const failing = failsInWorld(cloud, job);
  if (failing)
    return {
      ...view,
      Status: 'FAILED',
      StatusMessage: `Simulated failure: ${failing} is listed in world.aws.restore.fail`,
      CompletionDate: doneAt,
    };
  const arn = String(job.RecoveryPointArn ?? '').split(':');
  return {
    ...view,
    Status: 'COMPLETED',
    PercentDone: '100.00%',
    CompletionDate: doneAt,
    CreatedResourceArn: job.CreatedResourceArn ?? createdResourceArn(job, arn[3] ?? '', arn[4] ?? ''),
  };
}

/**
 * Starts a restore job:
 * 1. the same IdempotencyToken answers the job it started (as AWS does), if the request matches;
 * 2. the recovery point must be in the world;
 * 3. the job is appended to `world.aws.restoreJobs`, created at the simulated now.
 */
export function startRestoreJob(
  cloud: SimulatedCloud,
  region: string,
  request: StartRestoreJobRequest,
): { RestoreJobId: string } {
  const pointArn = required(request.RecoveryPointArn, 'RecoveryPointArn');
  const roleArn = required(request.IamRoleArn, 'IamRoleArn');
  if (request.Metadata === undefined || typeof request.Metadata !== 'object' || request.Metadata === null)
    throw badRequest('MissingParameterValueException', 'Metadata is required');
  const token = typeof request.IdempotencyToken === 'string' ? request.IdempotencyToken : undefined;
  const jobs = cloud.world.aws.restoreJobs as RestoreJobRecord[];
  if (token) {
    const earlier = jobs.find((j) => j.IdempotencyToken === token);
    if (earlier) {
      if (earlier.RecoveryPointArn !== pointArn)
        throw badRequest(
          'InvalidRequestException',
          `IdempotencyToken ${token} was used for a restore of ${String(earlier.RecoveryPointArn)}, not ${pointArn}`,
        );
      return { RestoreJobId: earlier.RestoreJobId };
    }
  }
  const arn = pointArn.split(':');
  // The service is regional: a recovery point of another region is not found here.
  const point = cloud.world.aws.recoveryPoints.find((p) => p.RecoveryPointArn === pointArn);
  if (!point || arn[3] !== region)
    throw new SimulatedApiError(
      'ResourceNotFoundException',
      400,
      `Recovery point ${pointArn} not found in ${region}`,
    );
  const type = String(request.ResourceType ?? point.ResourceType ?? '');
  const missing = (REQUIRED_METADATA[type] ?? []).filter(
    (k) => typeof (request.Metadata as Record<string, unknown>)[k] !== 'string',
  );
  if (missing.length > 0)
    throw badRequest(
      'InvalidParameterValueException',
      `Restore metadata of a ${type} recovery point is missing ${missing.join(', ')}`,
    );
  const duration = cloud.world.aws.restore.durationSeconds;
  const job: RestoreJobRecord = {
    AccountId: arn[4] ?? '',
    RestoreJobId: jobIdFor(`${token ?? ''}|${pointArn}|${jobs.length}`),
    RecoveryPointArn: pointArn,
    ...(typeof point.ResourceArn === 'string' ? { SourceResourceArn: point.ResourceArn } : {}),
    ...(typeof point.BackupVaultArn === 'string' ? { BackupVaultArn: point.BackupVaultArn } : {}),
    CreationDate: cloud.clock.now().getTime() / 1000,
    Status: 'PENDING',
    PercentDone: '0.00%',
    ...(typeof point.BackupSizeInBytes === 'number' ? { BackupSizeInBytes: point.BackupSizeInBytes } : {}),
    IamRoleArn: roleArn,
    ExpectedCompletionTimeMinutes: Math.ceil(duration / 60),
    ...(typeof (request.ResourceType ?? point.ResourceType) === 'string'
      ? { ResourceType: (request.ResourceType ?? point.ResourceType) as string }
      : {}),
    ...(typeof point.CreationDate === 'number' ? { RecoveryPointCreationDate: point.CreationDate } : {}),
    Metadata: { ...(request.Metadata as Record<string, unknown>) },
    ...(token ? { IdempotencyToken: token } : {}),
  };
  jobs.push(job);
  return { RestoreJobId: job.RestoreJobId };
}

/** DescribeRestoreJob: the job as it is now, or ResourceNotFoundException. */
export function describeRestoreJob(
  cloud: SimulatedCloud,
  region: string,
  restoreJobId: string,
): Record<string, unknown> {
  const job = (cloud.world.aws.restoreJobs as RestoreJobRecord[]).find(
    (j) => j.RestoreJobId === restoreJobId && String(j.RecoveryPointArn ?? '').split(':')[3] === region,
  );
  if (!job)
    throw new SimulatedApiError(
      'ResourceNotFoundException',
      400,
      `Restore job ${restoreJobId} not found in ${region}`,
    );
  return restoreJobView(cloud, job);
}

/**
 * The restore operations of AWS Backup (restJson1 bindings of the SDK's model); they join the read
 * routes of `./backup.ts` in the one `backup` service of the registry.
 */
export const backupRestoreRoutes: readonly RestJsonRoute[] = [
  {
    operation: 'StartRestoreJob',
    method: 'PUT',
    path: '/restore-jobs',
    handle: (cloud, { region, body }) =>
      startRestoreJob(cloud, region, (body ?? {}) as StartRestoreJobRequest),
  },
  {
    operation: 'DescribeRestoreJob',
    method: 'GET',
    path: '/restore-jobs/{RestoreJobId}',
    handle: (cloud, { region, labels }) => describeRestoreJob(cloud, region, labels['RestoreJobId']!),
  },
];

/**
 * The earliest time a running simulated AWS restore completes (or fails), so a simulation driver can
 * advance the clock to it; `undefined` when no restore is running.
 */
export function nextRestoreCompletion(cloud: SimulatedCloud): Date | undefined {
  const duration = cloud.world.aws.restore.durationSeconds;
  const now = cloud.clock.now().getTime() / 1000;
  let next: number | undefined;
  for (const job of cloud.world.aws.restoreJobs as RestoreJobRecord[]) {
    if (FINAL.has(job.Status) || typeof job.CreationDate !== 'number') continue;
    const doneAt = job.CreationDate + duration;
    if (doneAt > now && (next === undefined || doneAt < next)) next = doneAt;
  }
  return next === undefined ? undefined : new Date(next * 1000);
}
