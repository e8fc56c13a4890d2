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
import Bottleneck from 'bottleneck';
import pRetry from 'p-retry';
import { ErrorCode, InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoreJobStatus, RestoreRequest, RestoreService } from '#shared/ports/recovery-actions.ts';

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

/** Error names AWS services use for "slow down"; these are retried, everything else is not. */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'RequestLimitExceeded',
]);

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'UnknownError';

/** True when the SDK error is throttling (by name or by the SDK's own classification). */
export function isThrottling(error: unknown): boolean {
  const flagged = (error as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable?.throttling;
  return THROTTLING.has(errorName(error)) || flagged === true;
}

/** Translates an AWS SDK failure into a {@link ProviderError} with the code callers switch on. */
function providerError(operation: string, error: unknown, what: string): ProviderError {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const code = isThrottling(error)
    ? ErrorCode.Throttled
    : name === 'ResourceNotFoundException'
      ? ErrorCode.NotFound
      : name === 'AccessDeniedException' || name === 'AccessDenied'
        ? ErrorCode.Unauthorized
        : name === 'InvalidParameterValueException' || name === 'MissingParameterValueException'
          ? ErrorCode.InvalidInput
          : ErrorCode.Provider;
  return new ProviderError(operation, `${what}: ${name}: ${message}`, { cause: error, code });
}

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
  readonly #limiters: Bottleneck.Group;
  readonly #retries: number;
  readonly #minTimeout: number;

  constructor(options: AwsBackupRestoreServiceOptions) {
    const perSecond = options.startsPerSecond ?? 5;
    if (!(perSecond > 0))
      throw new InvalidInputError(`startsPerSecond must be a positive number, got ${perSecond}`);
    this.#clientFor = options.clientFor;
    // The quota is per account and region, so each region gets its own limiter.
    this.#limiters = new Bottleneck.Group({ minTime: Math.ceil(1000 / perSecond), maxConcurrent: null });
    this.#retries = options.retry?.retries ?? 4;
    this.#minTimeout = options.retry?.minTimeoutMs ?? 250;
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
    const limiter = this.#limiters.key(region);
    const output = await this.#withRetry(
      'backup:StartRestoreJob',
      `restore of ${resource.app}/${resource.name} from ${recoveryPointId}`,
      () => limiter.schedule(() => client.send(command)),
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
    const client = this.#clientFor(regionOf(source.vaultArn, 'vault'));
    const output = await this.#withRetry(
      'backup:DescribeRestoreJob',
      `restore job ${jobId} of ${resource.app}/${resource.name}`,
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId })),
    );
    return toRestoreJobStatus(output);
  }

  #withRetry<T>(operation: string, what: string, call: () => Promise<T>): Promise<T> {
    return pRetry(call, {
      retries: this.#retries,
      minTimeout: this.#minTimeout,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => isThrottling(error),
    }).catch((error: unknown) => {
      throw providerError(operation, error, what);
    });
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
