/**
 * `RestoreService` on AWS Backup: starts restore jobs (`StartRestoreJob`) and reads their state
 * (`DescribeRestoreJob`). Starting never waits for the job; progress comes from a later describe or the
 * "Restore Job State Change" event.
 */
import {
  type BackupClient,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobOutput,
  StartRestoreJobCommand,
} from '@aws-sdk/client-backup';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoreJobStatus, RestoreRequest, RestoreService } from '#shared/ports/recovery-actions.ts';
import { AwsCallPolicy } from './aws-retry.ts';

/** How the adapter retries throttled calls; the defaults suit Lambda, tests shorten them. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 4 */
  readonly retries?: number;
  /** First backoff in milliseconds, doubled each retry. @default 250 */
  readonly minTimeoutMs?: number;
}

/** What {@link AwsBackupRestoreService} is built from. */
export interface AwsBackupRestoreServiceOptions {
  /** The Backup client of a region (restore jobs run in the region of the recovery point). */
  readonly clientFor: (region: string) => BackupClient;
  /** StartRestoreJob calls per second and region; AWS Backup's default quota is 5. @default 5 */
  readonly startsPerSecond?: number;
  readonly retry?: RetryOptions;
}

// Status → port state. CREATED is not in the SDK's enum today but appears in the Backup console and
// the restore-testing APIs; it means "accepted, not running yet".
const STATE_BY_STATUS: Record<string, RestoreJobStatus['state']> = {
  CREATED: 'running',
  PENDING: 'running',
  RUNNING: 'running',
  COMPLETED: 'succeeded',
  ABORTED: 'failed',
  FAILED: 'failed',
};

type AwsBackupSource = Extract<ProtectedResource['source'], { kind: 'aws-backup' }>;

function awsSource(resource: ProtectedResource): AwsBackupSource {
  if (resource.source.kind !== 'aws-backup')
    throw new InvalidInputError(
      `resource "${resource.app}/${resource.name}" is backed up by ${resource.source.kind}, not AWS Backup; it cannot be restored by the AWS Backup restore service`,
    );
  return resource.source;
}

function regionOf(arn: string, what: string): string {
  const region = parseArn(arn)?.region;
  if (!region)
    throw new InvalidInputError(
      `${what} "${arn}" is not a regional ARN; expected arn:aws:backup:<region>:...`,
    );
  return region;
}

/** Starts and follows AWS Backup restore jobs, rate-limited to the StartRestoreJob quota. */
export class AwsBackupRestoreService implements RestoreService {
  readonly #clientFor: (region: string) => BackupClient;
  /** StartRestoreJob: paced to its own quota (per account and region, so per region). */
  readonly #starts: AwsCallPolicy;
  /** DescribeRestoreJob: not paced (a failover reads a handful of jobs), only retried. */
  readonly #reads: AwsCallPolicy;

  constructor(options: AwsBackupRestoreServiceOptions) {
    const perSecond = options.startsPerSecond ?? 5;
    if (!(perSecond > 0))
      throw new InvalidInputError(`startsPerSecond must be a positive number, got ${perSecond}`);
    this.#clientFor = options.clientFor;
    // Retrying a start is safe: the idempotency token makes AWS answer the job already started.
    const retry = {
      maxAttempts: (options.retry?.retries ?? 4) + 1,
      baseDelayMs: options.retry?.minTimeoutMs ?? 250,
      maxDelayMs: 10_000,
    };
    this.#starts = new AwsCallPolicy({ ...retry, maxCallsPerSecond: perSecond });
    this.#reads = new AwsCallPolicy({ ...retry, maxCallsPerSecond: Number.POSITIVE_INFINITY });
  }

  /**
   * Starts the restore of `request.recoveryPointId` in the recovery point's region. The idempotency
   * token makes a retried start (after a crash or a lost response) return the job already started.
   */
  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { resource, recoveryPointId, idempotencyToken } = request;
    const source = awsSource(resource);
    if (!source.restore)
      throw new InvalidInputError(
        `resource "${resource.app}/${resource.name}" has no awsBackup.restore block (iamRoleArn, metadata); it can be audited but not restored`,
      );
    const region = regionOf(recoveryPointId, 'recovery point');
    const client = this.#clientFor(region);
    const command = new StartRestoreJobCommand({
      RecoveryPointArn: recoveryPointId,
      IamRoleArn: source.restore.iamRoleArn,
      Metadata: { ...source.restore.metadata },
      ...(source.restore.resourceType ? { ResourceType: source.restore.resourceType } : {}),
      IdempotencyToken: idempotencyToken,
    });
    const output = await this.#starts.run(
      region,
      'backup:StartRestoreJob',
      () => client.send(command),
      `restore of ${resource.app}/${resource.name} from ${recoveryPointId}`,
    );
    if (!output.RestoreJobId)
      throw new ProviderError(
        'backup:StartRestoreJob',
        `restore of ${resource.app}/${resource.name}: the response has no RestoreJobId`,
      );
    return { jobId: output.RestoreJobId };
  }

  /** Reads the job in the region of the resource's recovery vault, where its recovery points live. */
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const source = awsSource(resource);
    const region = regionOf(source.vaultArn, 'vault');
    const client = this.#clientFor(region);
    const output = await this.#reads.run(
      region,
      'backup:DescribeRestoreJob',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId })),
      `restore job ${jobId} of ${resource.app}/${resource.name}`,
    );
    return toRestoreJobStatus(output);
  }
}

/** Maps a DescribeRestoreJob response onto the port's three states. */
export function toRestoreJobStatus(output: DescribeRestoreJobOutput): RestoreJobStatus {
  const status = output.Status ?? 'UNKNOWN';
  const state = STATE_BY_STATUS[status];
  const created = output.CreatedResourceArn ? { createdResource: output.CreatedResourceArn } : {};
  if (state === undefined)
    // A status this code does not know is never taken for success: the step keeps waiting and the
    // failover's RTO deadline decides, with the status visible in the message.
    return {
      state: 'running',
      message: `AWS Backup reports status "${status}", not known to Standby`,
      ...created,
    };
  if (state === 'failed')
    return { state, message: output.StatusMessage || `restore job ${status.toLowerCase()}`, ...created };
  return { state, ...(output.StatusMessage ? { message: output.StatusMessage } : {}), ...created };
}
