/**
 * `RestoreService` on AWS Backup: starts restore jobs (`StartRestoreJob`) and reads their state
 * (`DescribeRestoreJob`). Starting never waits for the job; progress comes from a later describe or the
 * "Restore Job State Change" event.
 *
 * A request starts from the point's own restore metadata (`GetRecoveryPointRestoreMetadata`), with
 * the plan's values as overrides, built and checked by the per-`ResourceType` table of
 * `shared/domain/restore-requests.ts`; a request that table says would be refused is refused here,
 * with the reason, before AWS is asked. A cluster type (Aurora, DocumentDB, Neptune) is restored
 * without instances, so once its job completes `describe` creates the plan's instances in it
 * (`./rds-cluster-instances.ts`) and reports `running` until they are available.
 */
import {
  type BackupClient,
  DescribeRestoreJobCommand,
  type DescribeRestoreJobOutput,
  GetRecoveryPointRestoreMetadataCommand,
  StartRestoreJobCommand,
  type StartRestoreJobInput,
} from '@aws-sdk/client-backup';
import type { RDSClient } from '@aws-sdk/client-rds';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import { awsRestoreRuleOf, buildAwsRestoreMetadata } from '#shared/domain/restore-requests.ts';
import type {
  PreparedRestore,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
} from '#shared/ports/recovery-actions.ts';
import { AwsCallPolicy } from './aws-retry.ts';
import { RdsClusterInstances } from './rds-cluster-instances.ts';

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
  /**
   * The RDS client of a region, to create the instances of restored Aurora / DocumentDB / Neptune
   * clusters. Without it such a restore fails once its cluster is restored, saying why.
   */
  readonly rdsClientFor?: (region: string) => RDSClient;
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
  /** DescribeRestoreJob, GetRecoveryPointRestoreMetadata, RDS: not paced (a failover reads a handful), only retried. */
  readonly #reads: AwsCallPolicy;
  readonly #instances: RdsClusterInstances | undefined;

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
    this.#instances = options.rdsClientFor
      ? new RdsClusterInstances(options.rdsClientFor, this.#reads)
      : undefined;
  }

  /**
   * Starts the restore of `request.recoveryPointId` in the recovery point's region:
   * 1. build the request ({@link prepare}); refuse it, with every reason, when the table says AWS would;
   * 2. `StartRestoreJob`. The idempotency token makes a retried start (after a crash or a lost
   *    response) return the job already started.
   */
  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { resource, recoveryPointId, idempotencyToken } = request;
    const prepared = await this.#prepare(request);
    if (prepared.problems.length > 0)
      throw new InvalidInputError(
        `restore of ${resource.app}/${resource.name} from ${recoveryPointId} would be refused: ${prepared.problems.join('; ')}`,
      );
    const region = regionOf(recoveryPointId, 'recovery point');
    const client = this.#clientFor(region);
    const command = new StartRestoreJobCommand({ ...prepared.input, IdempotencyToken: idempotencyToken });
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

  /** The StartRestoreJob input a start would send now (without its token), and what would refuse it. */
  async prepare(request: Omit<RestoreRequest, 'idempotencyToken'>): Promise<PreparedRestore> {
    const prepared = await this.#prepare(request);
    const taken = await this.#nameTaken(request, prepared.input.ResourceType, prepared.targetName);
    return {
      request: { ...prepared.input },
      problems: taken ? [...prepared.problems, taken] : prepared.problems,
      ...(prepared.targetName ? { targetName: prepared.targetName } : {}),
      ...(prepared.afterRestore ? { afterRestore: prepared.afterRestore } : {}),
    };
  }

  /** Why the name the restore would create is not free (RDS family, where RDS refuses a taken name), if it is not. */
  async #nameTaken(
    request: Omit<RestoreRequest, 'idempotencyToken'>,
    resourceType: string | undefined,
    name: string | undefined,
  ): Promise<string | undefined> {
    const kind =
      resourceType === 'RDS'
        ? 'instance'
        : awsRestoreRuleOf(resourceType)?.afterRestore
          ? 'cluster'
          : undefined;
    if (!kind || !name || !this.#instances) return undefined;
    const region = regionOf(request.recoveryPointId, 'recovery point');
    const context = `name check for ${request.resource.app}/${request.resource.name}`;
    return (await this.#instances.exists(region, kind, name, context))
      ? `a DB ${kind} named "${name}" already exists in ${region}; the restore cannot create it (name another, or remove it)`
      : undefined;
  }

  /**
   * 1. read the point's restore metadata and type (`GetRecoveryPointRestoreMetadata`, in the vault
   *    of the resource, where the point is);
   * 2. merge the plan's metadata over it per the type's rule (a restore in another region than the
   *    resource's drops the point's values that name that region);
   * 3. a cluster type needs the plan's `clusterInstances`.
   */
  async #prepare(request: Omit<RestoreRequest, 'idempotencyToken'>): Promise<{
    input: StartRestoreJobInput;
    problems: readonly string[];
    targetName?: string;
    afterRestore?: string;
  }> {
    const { resource, recoveryPointId } = request;
    const source = awsSource(resource);
    if (!source.restore)
      throw new InvalidInputError(
        `resource "${resource.app}/${resource.name}" has no awsBackup.restore block (iamRoleArn, metadata); it can be audited but not restored`,
      );
    const region = regionOf(recoveryPointId, 'recovery point');
    const vault = parseArn(source.vaultArn);
    const output = await this.#reads.run(
      region,
      'backup:GetRecoveryPointRestoreMetadata',
      () =>
        this.#clientFor(region).send(
          new GetRecoveryPointRestoreMetadataCommand({
            BackupVaultName: vault?.resource.replace(/^backup-vault:/, '') ?? '',
            RecoveryPointArn: recoveryPointId,
            ...(vault?.account ? { BackupVaultAccountId: vault.account } : {}),
          }),
        ),
      `restore metadata of ${recoveryPointId} (${resource.app}/${resource.name})`,
    );
    const resourceType = source.restore.resourceType ?? output.ResourceType;
    const sourceRegion = parseArn(source.resourceArn)?.region;
    const built = buildAwsRestoreMetadata({
      resourceType,
      pointMetadata: output.RestoreMetadata ?? {},
      planMetadata: source.restore.metadata,
      crossRegion: !sourceRegion || sourceRegion !== region,
    });
    const problems = [...built.problems];
    const instances = source.restore.clusterInstances;
    if (built.afterRestore === 'cluster-instances' && !instances)
      problems.push(
        `a ${resourceType} restore creates the cluster without instances; give awsBackup.restore.clusterInstances (instanceClass, count)`,
      );
    const input: StartRestoreJobInput = {
      RecoveryPointArn: recoveryPointId,
      IamRoleArn: source.restore.iamRoleArn,
      Metadata: { ...built.metadata },
      ...(resourceType ? { ResourceType: resourceType } : {}),
      ...(source.restore.copySourceTags !== undefined
        ? { CopySourceTagsToRestoredResource: source.restore.copySourceTags }
        : {}),
    };
    return {
      input,
      problems,
      ...(built.targetName ? { targetName: built.targetName } : {}),
      ...(built.afterRestore === 'cluster-instances' && instances
        ? { afterRestore: `then ${instances.count} × ${instances.instanceClass} instance(s) in the cluster` }
        : {}),
    };
  }

  /**
   * Reads the job in the region of the resource's recovery vault, where its recovery points live; a
   * completed cluster restore then goes on with the cluster's instances (one pass per describe).
   */
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const source = awsSource(resource);
    const region = regionOf(source.vaultArn, 'vault');
    const client = this.#clientFor(region);
    const context = `restore job ${jobId} of ${resource.app}/${resource.name}`;
    const output = await this.#reads.run(
      region,
      'backup:DescribeRestoreJob',
      () => client.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId })),
      context,
    );
    const status = toRestoreJobStatus(output);
    const type = source.restore?.resourceType ?? output.ResourceType;
    if (status.state !== 'succeeded' || awsRestoreRuleOf(type)?.afterRestore !== 'cluster-instances')
      return status;
    const instances = source.restore?.clusterInstances;
    if (!status.createdResource || !instances || !this.#instances)
      return {
        state: 'failed',
        message: `${context}: the ${type} cluster ${status.createdResource ?? '(no CreatedResourceArn)'} was restored, but ${
          !instances
            ? 'the plan gives no awsBackup.restore.clusterInstances'
            : !this.#instances
              ? 'this service has no RDS client to create its instances'
              : 'its ARN is unknown'
        }; it has no instance to connect to`,
        ...(status.createdResource ? { createdResource: status.createdResource } : {}),
      };
    return this.#instances.ensure(status.createdResource, instances, context);
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
