/**
 * Restores from Azure Backup vaults (Microsoft.DataProtection, REST API 2025-07-01) through
 * `@azure-rest/core-client`, since no `@azure/arm-dataprotection` is available.
 *
 * `start` triggers the restore (`BackupInstances_TriggerRestore`) and returns at once: the answer is
 * a 202 whose `Azure-AsyncOperation` and `Location` headers become the job handle. `describe` follows
 * the handle: the operation status (running while it is in progress), then its result (the job id),
 * then the job itself. Nothing here waits in a loop for a cloud job.
 *
 * Data Protection has no idempotency token and no client-side marker in the request or the job, so
 * `start` is made safe to retry by looking first: an in-flight restore job (`Started`/`InProgress`) of
 * the same backup instance from the same recovery point is adopted instead of triggering another
 * one (docs/design/traffic-switch.md, section Azure, says why this is the safest choice).
 */
import type { Client } from '@azure-rest/core-client';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoreJobStatus, RestoreRequest, RestoreService } from '#shared/ports/recovery-actions.ts';
import {
  type ArmConnectionOptions,
  armBody,
  armPath,
  createArmClient,
  guardArm,
  listAll,
  resolveArmOptions,
  vaultIdOf,
} from './arm-pipeline.ts';
import {
  isEndedJobStatus,
  recoveryPointName,
  restorableSourceOf,
  restoreJobState,
  restoreOperationState,
} from './arm-restore.ts';

/** The Microsoft.DataProtection API version this adapter speaks. */
export const DATA_PROTECTION_API_VERSION = '2025-07-01';

/** Job handles: an operation to follow (`dataprotection-operation:`) or a known job (`dataprotection-job:`). */
const OPERATION_HANDLE = 'dataprotection-operation:';
const JOB_HANDLE = 'dataprotection-job:';

/** Request object types that restore from one recovery point, named by `recoveryPointId`. */
const POINT_BASED = new Set([
  'AzureBackupRecoveryPointBasedRestoreRequest',
  'AzureBackupRestoreWithRehydrationRequest',
]);

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

/** The two URLs of a triggered restore, as paths under the ARM endpoint. */
interface OperationRef {
  /** `Azure-AsyncOperation`: the operation status. */
  readonly status: string;
  /** `Location`: the operation result, which names the job. */
  readonly result?: string;
}

/** Options of {@link DataProtectionRestoreService}. */
export type DataProtectionRestoreServiceOptions = ArmConnectionOptions;

/** {@link RestoreService} for `azureBackup` resources (Backup vault backup instances). */
export class DataProtectionRestoreService implements RestoreService {
  readonly #client: Client;
  readonly #endpoint: string;

  constructor(options: DataProtectionRestoreServiceOptions) {
    this.#client = createArmClient(options, DATA_PROTECTION_API_VERSION);
    this.#endpoint = resolveArmOptions(options).endpoint;
  }

  /**
   * Starts a restore and returns its handle:
   * 1. check the resource and build the request from the plan's template and the point's name;
   * 2. adopt an in-flight restore of the same instance from the same point (a retried `start`);
   * 3. trigger; a 202 gives the operation to follow, a 200 (the operation already done) the job id.
   */
  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    return guardArm('dataprotection:BackupInstances_TriggerRestore', () => this.#start(request));
  }

  async #start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { instanceId, template } = restorableSource(request.resource);
    const pointName = recoveryPointName(request.recoveryPointId);
    const body = restoreRequestBody(request.resource, template, pointName);
    const existing = await this.#inFlightRestore(instanceId, pointName);
    if (existing) return { jobId: `${JOB_HANDLE}${existing}` };
    const operation = 'dataprotection:BackupInstances_TriggerRestore';
    const response = await this.#client.pathUnchecked(armPath(instanceId, 'restore')).post({ body });
    const answer = armBody(operation, response) as { jobId?: string } | undefined;
    if (Number(response.status) === 200 && answer?.jobId) return { jobId: `${JOB_HANDLE}${answer.jobId}` };
    const status = response.headers['azure-asyncoperation'];
    if (!status)
      throw new ProviderError(
        operation,
        `HTTP ${response.status} without an Azure-AsyncOperation header or a job id; cannot follow the restore of ${instanceId}`,
      );
    const location = response.headers['location'];
    const ref: OperationRef = {
      status: this.#relative(status),
      ...(location ? { result: this.#relative(location) } : {}),
    };
    return { jobId: `${OPERATION_HANDLE}${Buffer.from(JSON.stringify(ref), 'utf8').toString('base64url')}` };
  }

  /** Follows a handle from {@link start}: operation → result → job; never waits. */
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    return guardArm('dataprotection:Jobs_Get', () => this.#describe(resource, jobId));
  }

  async #describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const { instanceId, template } = restorableSource(resource);
    let job: string;
    if (jobId.startsWith(JOB_HANDLE)) job = jobId.slice(JOB_HANDLE.length);
    else if (jobId.startsWith(OPERATION_HANDLE)) {
      const ref = decodeOperation(jobId);
      const op = 'dataprotection:OperationStatusBackupVaultContext_Get';
      const status = armBody(op, await this.#client.pathUnchecked(ref.status).get()) as WireOperation;
      const pending = restoreOperationState(resource.name, status.status, status.error?.message);
      if (pending) return pending;
      const found = status.properties?.jobId ?? (await this.#resultJobId(ref));
      if (!found)
        throw new ProviderError(op, `operation succeeded but neither its status nor its result names a job`);
      job = found;
    } else
      throw new InvalidInputError(
        `"${jobId}" is not a Data Protection restore handle; expected one returned by start (${OPERATION_HANDLE}… or ${JOB_HANDLE}…)`,
      );
    return this.#jobStatus(instanceId, job, template);
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
    const details = (job.properties?.errorDetails ?? [])
      .map((e) => [e.code, e.message].filter(Boolean).join(': '))
      .filter((m) => m.length > 0);
    const created = job.properties?.extendedInfo?.recoveryDestination || targetResourceOf(template);
    return restoreJobState(jobId, job.properties?.status ?? 'Unknown', details, created);
  }

  /** The id of a running restore job of `instanceId` from `pointName`, if there is one. */
  async #inFlightRestore(instanceId: string, pointName: string): Promise<string | undefined> {
    const op = 'dataprotection:Jobs_List';
    const vaultId = vaultIdOf(instanceId)!;
    const jobs = await listAll<WireJob>(this.#client, op, () =>
      this.#client.pathUnchecked(armPath(vaultId, 'backupJobs')).get(),
    );
    const instance = normalizeAzureId(instanceId);
    const match = jobs.find((j) => {
      const p = j.properties;
      return (
        p !== undefined &&
        normalizeAzureId(p.backupInstanceId ?? '') === instance &&
        (p.operation ?? p.operationCategory ?? '').toLowerCase() === 'restore' &&
        !isEndedJobStatus(p.status) &&
        (p.extendedInfo?.sourceRecoverPoint?.recoveryPointID ?? '').toLowerCase() === pointName.toLowerCase()
      );
    });
    return match?.name ?? match?.id?.split('/').pop();
  }

  /** A header URL as a path under this adapter's endpoint; a URL elsewhere is refused (the token goes with it). */
  #relative(url: string): string {
    const parsed = new URL(url, this.#endpoint);
    if (parsed.origin !== new URL(this.#endpoint).origin)
      throw new ProviderError(
        'dataprotection:BackupInstances_TriggerRestore',
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

/** The `AzureBackupRestoreRequest`: the plan's template with the point filled in and defaults made explicit. */
function restoreRequestBody(
  resource: ProtectedResource,
  template: Record<string, unknown>,
  pointName: string,
): Record<string, unknown> {
  const where = `resource "${resource.name}" azureBackup.restore.request`;
  const objectType = template['objectType'] ?? 'AzureBackupRecoveryPointBasedRestoreRequest';
  if (typeof objectType !== 'string' || !POINT_BASED.has(objectType))
    throw new InvalidInputError(
      `${where}: objectType "${String(objectType)}" does not restore from a recovery point; use one of ${[...POINT_BASED].join(', ')}`,
    );
  const target = template['restoreTargetInfo'];
  if (
    !target ||
    typeof target !== 'object' ||
    typeof (target as { objectType?: unknown }).objectType !== 'string'
  )
    throw new InvalidInputError(
      `${where}: restoreTargetInfo (with its objectType: RestoreTargetInfo, ItemLevelRestoreTargetInfo or RestoreFilesTargetInfo) is required`,
    );
  const store = template['sourceDataStoreType'] ?? 'VaultStore';
  if (
    store !== 'VaultStore' &&
    store !== 'ArchiveStore' &&
    store !== 'OperationalStore' &&
    store !== 'SnapshotStore'
  )
    throw new InvalidInputError(
      `${where}: sourceDataStoreType "${String(store)}" is not one of VaultStore, ArchiveStore, OperationalStore, SnapshotStore`,
    );
  if (!pointName) throw new InvalidInputError(`resource "${resource.name}": the recovery point id is empty`);
  return { ...template, objectType, sourceDataStoreType: store, recoveryPointId: pointName };
}

function targetResourceOf(template: Record<string, unknown>): string | undefined {
  const info = (template['restoreTargetInfo'] as { datasourceInfo?: { resourceID?: unknown } } | undefined)
    ?.datasourceInfo?.resourceID;
  return typeof info === 'string' && info.length > 0 ? info : undefined;
}

function decodeOperation(handle: string): OperationRef {
  let ref: unknown;
  try {
    ref = JSON.parse(Buffer.from(handle.slice(OPERATION_HANDLE.length), 'base64url').toString('utf8'));
  } catch {
    ref = undefined;
  }
  const r = ref as Partial<OperationRef> | undefined;
  const ok = (p: unknown): p is string =>
    typeof p === 'string' && /^\/subscriptions\/[^/]+\/.*providers\/microsoft\.dataprotection\//i.test(p);
  if (!r || !ok(r.status) || (r.result !== undefined && !ok(r.result)))
    throw new InvalidInputError(`"${handle}" is not a Data Protection restore handle made by start`);
  return { status: r.status, ...(r.result ? { result: r.result } : {}) };
}
