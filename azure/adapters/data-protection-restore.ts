/**
 * Restores from Azure Backup vaults (Microsoft.DataProtection, REST API 2025-07-01) through
 * `@azure-rest/core-client`, since no `@azure/arm-dataprotection` is available.
 *
 * Two ways to restore, chosen by the region the plan recovers into (`resource.recoveryRegion`, the
 * same rule by which the inventory chose the point: the vault's own points in its region, the
 * secondary points elsewhere); only a resource that does not say falls back on
 * `restoreTargetInfo.restoreLocation`, which is where the restored data goes and may differ from the
 * region the restore runs in (the spec's in-region TriggerRestore example sets another one):
 * - in the vault's region, `BackupInstances_TriggerRestore` (`POST {backupInstanceId}/restore`), from
 *   the vault's own recovery points; the job is a vault job (`Jobs_Get`, `Jobs_List`);
 * - in another region, `BackupInstances_TriggerCrossRegionRestore`
 *   (`POST …/locations/{restoreLocation}/crossRegionRestore`), from the points the vault replicated
 *   there (`FetchSecondaryRecoveryPoints_List`, which is where the inventory found them); the job
 *   runs in that region and is read with `FetchCrossRegionRestoreJob_Get` /
 *   `FetchCrossRegionRestoreJobs_List` there, never through the vault (which may be the region lost).
 * The vault's region comes from one `BackupVaults_Get` per vault for the service's life.
 *
 * `start` triggers and returns at once: a 202's `Azure-AsyncOperation` and `Location` headers become
 * the job handle (with, for a cross-region restore, the regions `describe` must ask). `describe`
 * follows the handle: the operation status (running while in progress), then its result (the job
 * id), then the job itself. Nothing here waits in a loop for a cloud job.
 *
 * Data Protection has no idempotency token and no client-side marker in the request or the job, so
 * `start` is made safe to retry by looking first: an in-flight restore job (`Started`/`InProgress`) of
 * the same backup instance from the same recovery point, in the vault's jobs or the cross-region
 * restore jobs of the target region, is adopted instead of triggering another one
 * (docs/design/traffic-switch.md, section Azure, says why this is the safest choice).
 */
import type { Client, PathUncheckedResponse } from '@azure-rest/core-client';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type {
  PreparedRestore,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
} from '#shared/ports/recovery-actions.ts';
import {
  type ArmConnectionOptions,
  armBody,
  armPath,
  createArmClient,
  guardArm,
  listAll,
  OncePerKey,
  resolveArmOptions,
  resourceLocation,
  vaultIdOf,
} from './arm-pipeline.ts';
import {
  isEndedJobStatus,
  recoveryPointName,
  restorableSourceOf,
  restoreJobState,
  restoreOperationState,
} from './arm-restore.ts';
import {
  CRR_JOB_HANDLE,
  type CrossRegion,
  crossRegionJobHandle,
  decodeCrossRegionJob,
  decodeOperation,
  JOB_HANDLE,
  OPERATION_HANDLE,
  type OperationRef,
} from './data-protection-handles.ts';
import { DATA_PROTECTION_JOB_STATUSES } from './job-statuses.ts';
import {
  dataProtectionRequestProblems,
  restoreLocationOf,
  restoreRequestBody,
  targetResourceOf,
} from './restore-request-rules.ts';

/** The Microsoft.DataProtection API version this adapter speaks. */
export const DATA_PROTECTION_API_VERSION = '2025-07-01';

const TRIGGER = 'dataprotection:BackupInstances_TriggerRestore';
const TRIGGER_CRR = 'dataprotection:BackupInstances_TriggerCrossRegionRestore';

interface WireJob {
  readonly id?: string;
  readonly name?: string;
  readonly properties?: {
    readonly backupInstanceId?: string;
    readonly operation?: string;
    readonly operationCategory?: string;
    readonly status?: string;
    readonly startTime?: string;
    readonly errorDetails?: readonly { readonly code?: string; readonly message?: string }[] | null;
    readonly extendedInfo?: {
      readonly recoveryDestination?: string | null;
      readonly sourceRecoverPoint?: { readonly recoveryPointID?: string } | null;
    } | null;
  };
}

interface WireOperation {
  readonly status?: string;
  readonly error?: { readonly code?: string; readonly message?: string } | null;
  readonly properties?: { readonly jobId?: string } | null;
}

/** Options of {@link DataProtectionRestoreService}. */
export type DataProtectionRestoreServiceOptions = ArmConnectionOptions;

/** {@link RestoreService} for `azureBackup` resources (Backup vault backup instances), in or out of the vault's region. */
export class DataProtectionRestoreService implements RestoreService {
  readonly #client: Client;
  readonly #endpoint: string;
  /** Vault id → its region, looked up once: a vault does not move. */
  readonly #vaultRegions = new OncePerKey<string>();
  /** Operation handle → the job handle it led to, for this service's life (a job id does not change). */
  readonly #resolved = new Map<string, string>();

  constructor(options: DataProtectionRestoreServiceOptions) {
    this.#client = createArmClient(options, DATA_PROTECTION_API_VERSION);
    this.#endpoint = resolveArmOptions(options).endpoint;
  }

  /**
   * Starts a restore and returns its handle:
   * 1. check the resource and build the request from the plan's template and the point's name;
   * 2. when the plan recovers into a region other than the vault's (or, for a resource that does not
   *    say, the template restores to one), go cross-region (below); otherwise:
   * 3. adopt an in-flight restore of the same instance from the same point (a retried `start`);
   * 4. trigger; a 202 gives the operation to follow, a 200 (the operation already done) the job id.
   * Cross-region, steps 3 and 4 are the same with the target region's cross-region restore jobs and
   * `crossRegionRestore` there.
   */
  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    return guardArm(TRIGGER, () => this.#start(request));
  }

  async #start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { instanceId, template } = restorableSource(request.resource);
    const pointName = recoveryPointName(request.recoveryPointId);
    const body = restoreRequestBody(request.resource, template, pointName);
    const location = restoreLocationOf(request.resource, template);
    const planned = request.resource.recoveryRegion;
    const target = planned === undefined ? location : normalizeRegion(planned);
    if (target !== undefined) {
      const sourceRegion = normalizeRegion(await this.#vaultRegion(instanceId));
      if (target !== sourceRegion)
        return this.#startCrossRegion(instanceId, body, pointName, { location: target, sourceRegion });
    }
    const existing = await this.#inFlightRestore(instanceId, pointName);
    if (existing) return { jobId: `${JOB_HANDLE}${existing}` };
    const response = await this.#client.pathUnchecked(armPath(instanceId, 'restore')).post({ body });
    return this.#handleOf(TRIGGER, instanceId, response);
  }

  async #startCrossRegion(
    instanceId: string,
    restoreRequestObject: Record<string, unknown>,
    pointName: string,
    crr: CrossRegion,
  ): Promise<{ readonly jobId: string }> {
    const existing = await this.#inFlightCrossRegionRestore(instanceId, pointName, crr);
    if (existing) return { jobId: crossRegionJobHandle(crr, existing) };
    const response = await this.#client
      .pathUnchecked(locationPath(instanceId, crr.location, 'crossRegionRestore'))
      .post({
        body: {
          restoreRequestObject,
          crossRegionRestoreDetails: { sourceBackupInstanceId: instanceId, sourceRegion: crr.sourceRegion },
        },
      });
    return this.#handleOf(TRIGGER_CRR, instanceId, response, crr);
  }

  /** The restore request `start` would send for this point, and what the rule table says would refuse it. */
  async prepare(request: Omit<RestoreRequest, 'idempotencyToken'>): Promise<PreparedRestore> {
    const { template } = restorableSource(request.resource);
    let body: Record<string, unknown>;
    try {
      body = restoreRequestBody(request.resource, template, recoveryPointName(request.recoveryPointId));
    } catch (error) {
      if (error instanceof InvalidInputError) return { request: template, problems: [error.message] };
      throw error;
    }
    const target = targetResourceOf(template);
    return {
      request: body,
      problems: dataProtectionRequestProblems(body),
      ...(target ? { targetName: target } : {}),
    };
  }

  /** The handle of a trigger's answer: a job when it is already known (200), else the operation to follow. */
  #handleOf(
    operation: string,
    instanceId: string,
    response: PathUncheckedResponse,
    crr?: CrossRegion,
  ): { readonly jobId: string } {
    const answer = armBody(operation, response) as { jobId?: string } | undefined;
    if (Number(response.status) === 200 && answer?.jobId)
      return { jobId: crr ? crossRegionJobHandle(crr, answer.jobId) : `${JOB_HANDLE}${answer.jobId}` };
    const status = response.headers['azure-asyncoperation'];
    if (!status)
      throw new ProviderError(
        operation,
        `HTTP ${response.status} without an Azure-AsyncOperation header or a job id; cannot follow the restore of ${instanceId}`,
      );
    const location = response.headers['location'];
    const ref: OperationRef = {
      status: this.#relative(operation, status),
      ...(location ? { result: this.#relative(operation, location) } : {}),
      ...(crr ? { crr } : {}),
    };
    return { jobId: `${OPERATION_HANDLE}${Buffer.from(JSON.stringify(ref), 'utf8').toString('base64url')}` };
  }

  /** Follows a handle from {@link start}: operation → result → job; never waits. */
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    return guardArm('dataprotection:Jobs_Get', () => this.#describe(resource, jobId));
  }

  async #describe(resource: ProtectedResource, handle: string): Promise<RestoreJobStatus> {
    const { instanceId, template } = restorableSource(resource);
    // An operation already followed to its job is read as that job: one call, not three.
    const jobId = this.#resolved.get(handle) ?? handle;
    if (jobId.startsWith(JOB_HANDLE))
      return this.#jobStatus(instanceId, jobId.slice(JOB_HANDLE.length), template);
    if (jobId.startsWith(CRR_JOB_HANDLE)) {
      const { crr, job } = decodeCrossRegionJob(jobId);
      return this.#crossRegionJobStatus(instanceId, job, crr, template);
    }
    if (!jobId.startsWith(OPERATION_HANDLE))
      throw new InvalidInputError(
        `"${jobId}" is not a Data Protection restore handle; expected one returned by start (${OPERATION_HANDLE}…, ${JOB_HANDLE}… or ${CRR_JOB_HANDLE}…)`,
      );
    const ref = decodeOperation(jobId);
    const op = 'dataprotection:OperationStatusBackupVaultContext_Get';
    const status = armBody(op, await this.#client.pathUnchecked(ref.status).get()) as WireOperation;
    const pending = restoreOperationState(resource.name, status.status, status.error?.message);
    if (pending) return pending;
    const job = status.properties?.jobId ?? (await this.#resultJobId(ref));
    if (!job)
      throw new ProviderError(op, `operation succeeded but neither its status nor its result names a job`);
    const resolved = ref.crr ? crossRegionJobHandle(ref.crr, job) : `${JOB_HANDLE}${job}`;
    this.#resolved.set(handle, resolved);
    const state = ref.crr
      ? await this.#crossRegionJobStatus(instanceId, job, ref.crr, template)
      : await this.#jobStatus(instanceId, job, template);
    return { ...state, handle: resolved };
  }

  async #resultJobId(ref: OperationRef): Promise<string | undefined> {
    if (ref.result === undefined) return undefined;
    const op = 'dataprotection:OperationResult_Get';
    const response = await this.#client.pathUnchecked(ref.result).get();
    const body = armBody(op, response) as { jobId?: string } | undefined;
    return body?.jobId;
  }

  async #jobStatus(
    instanceId: string,
    jobId: string,
    template: Record<string, unknown>,
  ): Promise<RestoreJobStatus> {
    const op = 'dataprotection:Jobs_Get';
    const vaultId = vaultIdOf(instanceId)!;
    const job = armBody(
      op,
      await this.#client.pathUnchecked(armPath(vaultId, 'backupJobs', jobId)).get(),
    ) as WireJob;
    return jobState(jobId, job, template);
  }

  /** A cross-region restore job, read in the region it runs in (`FetchCrossRegionRestoreJob_Get`). */
  async #crossRegionJobStatus(
    instanceId: string,
    jobId: string,
    crr: CrossRegion,
    template: Record<string, unknown>,
  ): Promise<RestoreJobStatus> {
    const op = 'dataprotection:FetchCrossRegionRestoreJob_Get';
    const response = await this.#client
      .pathUnchecked(locationPath(instanceId, crr.location, 'fetchCrossRegionRestoreJob'))
      .post({ body: { jobId, sourceBackupVaultId: vaultIdOf(instanceId)!, sourceRegion: crr.sourceRegion } });
    return jobState(jobId, armBody(op, response) as WireJob, template);
  }

  /** The id of a running restore job of `instanceId` from `pointName` in the vault, if there is one. */
  async #inFlightRestore(instanceId: string, pointName: string): Promise<string | undefined> {
    const vaultId = vaultIdOf(instanceId)!;
    const jobs = await listAll<WireJob>(this.#client, 'dataprotection:Jobs_List', () =>
      this.#client.pathUnchecked(armPath(vaultId, 'backupJobs')).get(),
    );
    return runningRestoreOf(jobs, instanceId, pointName);
  }

  /** The same, among the cross-region restore jobs of the vault in the target region. */
  async #inFlightCrossRegionRestore(
    instanceId: string,
    pointName: string,
    crr: CrossRegion,
  ): Promise<string | undefined> {
    const body = { sourceBackupVaultId: vaultIdOf(instanceId)!, sourceRegion: crr.sourceRegion };
    const jobs = await listAll<WireJob>(this.#client, 'dataprotection:FetchCrossRegionRestoreJobs_List', () =>
      this.#client
        .pathUnchecked(locationPath(instanceId, crr.location, 'fetchCrossRegionRestoreJobs'))
        .post({ body }),
    );
    return runningRestoreOf(jobs, instanceId, pointName);
  }

  /** The region of the backup instance's vault, from its GET (once per vault). */
  #vaultRegion(instanceId: string): Promise<string> {
    const vaultId = vaultIdOf(instanceId)!;
    return this.#vaultRegions.get(vaultId, () =>
      resourceLocation(this.#client, 'dataprotection:BackupVaults_Get', vaultId),
    );
  }

  /** A header URL as a path under this adapter's endpoint; a URL elsewhere is refused (the token goes with it). */
  #relative(operation: string, url: string): string {
    const parsed = new URL(url, this.#endpoint);
    if (parsed.origin !== new URL(this.#endpoint).origin)
      throw new ProviderError(
        operation,
        `the service pointed at ${parsed.origin}, not the ARM endpoint ${this.#endpoint}; refusing to follow it`,
      );
    return `${parsed.pathname}${parsed.search}`;
  }
}

/** The backup instance and restore template of a resource, or why it cannot be restored here. */
function restorableSource(resource: ProtectedResource): {
  instanceId: string;
  template: Record<string, unknown>;
} {
  const source = restorableSourceOf(resource, 'azure-backup', 'DataProtectionRestoreService');
  if (!vaultIdOf(source.backupInstanceId))
    throw new InvalidInputError(
      `resource "${resource.name}": "${source.backupInstanceId}" is not a backup instance id`,
    );
  return { instanceId: source.backupInstanceId, template: { ...source.restore.request } };
}

/** `/subscriptions/{sub}/resourceGroups/{vault's group}/providers/Microsoft.DataProtection/locations/{region}/{action}`. */
function locationPath(instanceId: string, region: string, action: string): string {
  const id = parseAzureId(instanceId)!;
  return armPath(
    `/subscriptions/${id.subscriptionId}/resourceGroups/${id.resourceGroup}`,
    'providers',
    'Microsoft.DataProtection',
    'locations',
    region,
    action,
  );
}

/** A job's status as the service wrote it (read with {@link DATA_PROTECTION_JOB_STATUSES}). */
function statusOf(job: WireJob): string {
  return job.properties?.status ?? 'Unknown';
}

/** A restore job's body as the port's status; the created resource is the job's destination, or the template's. */
function jobState(jobId: string, job: WireJob, template: Record<string, unknown>): RestoreJobStatus {
  const details = (job.properties?.errorDetails ?? [])
    .map((e) => [e.code, e.message].filter(Boolean).join(': '))
    .filter((m) => m.length > 0);
  const created = job.properties?.extendedInfo?.recoveryDestination || targetResourceOf(template);
  return restoreJobState(DATA_PROTECTION_JOB_STATUSES, jobId, statusOf(job), details, created);
}

/** The name of a job among `jobs` that restores `instanceId` from `pointName` and has not ended. */
function runningRestoreOf(
  jobs: readonly WireJob[],
  instanceId: string,
  pointName: string,
): string | undefined {
  const instance = normalizeAzureId(instanceId);
  const match = jobs.find((j) => {
    const p = j.properties;
    return (
      p !== undefined &&
      normalizeAzureId(p.backupInstanceId ?? '') === instance &&
      (p.operation ?? p.operationCategory ?? '').toLowerCase() === 'restore' &&
      !isEndedJobStatus(DATA_PROTECTION_JOB_STATUSES, statusOf(j)) &&
      (p.extendedInfo?.sourceRecoverPoint?.recoveryPointID ?? '').toLowerCase() === pointName.toLowerCase()
    );
  });
  return match?.name ?? match?.id?.split('/').pop();
}
