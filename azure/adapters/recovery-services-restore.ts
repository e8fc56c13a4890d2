/**
 * Restores from Recovery Services vaults through `@azure/arm-recoveryservicesbackup`.
 *
 * `start` calls `restores.beginTrigger` and keeps only the raw initial answer: its
 * `Azure-AsyncOperation` header names the operation (`.../operationsStatus/{operationId}`), which is
 * the job handle. The poller it returns is dropped, never `pollUntilDone`. `describe` reads the
 * operation (`protectedItemOperationStatuses.get`), whose `jobId` leads to `jobDetails.get`.
 *
 * Recovery Services has no idempotency token either. The engine records "starting" before it calls
 * `start` and calls it once per (failover, resource); a crash between the call and the record can
 * lead to a second trigger, which the service refuses while the first restore of the item runs
 * (and which the operator sees as a failed step naming the service's error).
 */
import { RecoveryServicesBackupClient } from '@azure/arm-recoveryservicesbackup';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { parseAzureId } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type {
  PreparedRestore,
  RestoreJobStatus,
  RestoreRequest,
  RestoreService,
} from '#shared/ports/recovery-actions.ts';
import {
  type ArmConnectionOptions,
  guardArm,
  SubscriptionClients,
  toArmProviderError,
} from './arm-pipeline.ts';
import {
  recoveryPointName,
  restorableSourceOf,
  restoreJobState,
  restoreOperationState,
} from './arm-restore.ts';
import { RECOVERY_SERVICES_JOB_STATUSES } from './job-statuses.ts';
import { RECOVERY_SERVICES_API_VERSION } from './recovery-services-inventory.ts';
import { recoveryServicesRequestProblems } from './restore-request-rules.ts';

/** Job handles this adapter returns: the restore operation to follow. */
const HANDLE = 'recoveryservices-operation:';

/** The parts of a protected item id the SDK takes as arguments. */
interface ProtectedItem {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly vault: string;
  readonly fabric: string;
  readonly container: string;
  readonly item: string;
}

/** Options of {@link RecoveryServicesRestoreService}. */
export type RecoveryServicesRestoreServiceOptions = ArmConnectionOptions;

/** {@link RestoreService} for `azureRecoveryServices` resources (Recovery Services vault protected items). */
export class RecoveryServicesRestoreService implements RestoreService {
  readonly #clients: SubscriptionClients<RecoveryServicesBackupClient>;

  constructor(options: RecoveryServicesRestoreServiceOptions) {
    this.#clients = new SubscriptionClients(
      options,
      (credential, subscriptionId, clientOptions) =>
        // The API version the inventory reads too (the SDK's own default is older), so a restore
        // starts from the same point shapes the audit saw.
        new RecoveryServicesBackupClient(credential, subscriptionId, {
          ...clientOptions,
          $host: clientOptions.endpoint,
          apiVersion: RECOVERY_SERVICES_API_VERSION,
        }),
    );
  }

  /** The request `properties` `start` would send for this point, and what the rule table says would refuse them. */
  async prepare(request: Omit<RestoreRequest, 'idempotencyToken'>): Promise<PreparedRestore> {
    let template: Record<string, unknown>;
    try {
      template = restorableSource(request.resource).template;
    } catch (error) {
      if (error instanceof InvalidInputError) return { request: {}, problems: [error.message] };
      throw error;
    }
    const properties = { ...template, recoveryPointId: recoveryPointName(request.recoveryPointId) };
    const target = targetResourceOf(request.resource);
    return {
      request: { properties },
      problems: recoveryServicesRequestProblems(properties),
      ...(target ? { targetName: target } : {}),
    };
  }

  /**
   * Triggers the restore and returns the operation as the handle:
   * 1. check the resource; the plan's template is the request's `properties`, with the point filled in;
   * 2. send the trigger, capturing the raw 202 (the SDK reads the operation once; that is all);
   * 3. take the operation id from `Azure-AsyncOperation`.
   */
  async start(request: RestoreRequest): Promise<{ readonly jobId: string }> {
    const { item, template } = restorableSource(request.resource);
    const pointName = recoveryPointName(request.recoveryPointId);
    if (!pointName)
      throw new InvalidInputError(`resource "${request.resource.name}": the recovery point id is empty`);
    const properties = { ...template, recoveryPointId: pointName };
    let asyncOperation: string | undefined;
    let initialStatus: number | undefined;
    const operation = 'recoveryservices:Restores_Trigger';
    try {
      await this.#clients.get(item.subscriptionId).restores.beginTrigger(
        item.vault,
        item.resourceGroup,
        item.fabric,
        item.container,
        item.item,
        pointName,
        { properties: properties as never },
        {
          onResponse: (raw) => {
            if (initialStatus !== undefined) return;
            initialStatus = raw.status;
            asyncOperation = raw.headers.get('azure-asyncoperation') ?? undefined;
          },
        },
      );
    } catch (error) {
      // The SDK reads the operation once after the trigger; a failed operation throws here, but the
      // restore was answered and `describe` reports the failure from the operation itself.
      if (!asyncOperation) throw toArmProviderError(operation, error);
    }
    const operationId = asyncOperation ? operationIdOf(asyncOperation) : undefined;
    if (!operationId)
      throw new ProviderError(
        operation,
        `HTTP ${initialStatus ?? '?'} without an Azure-AsyncOperation header naming the operation; cannot follow the restore of ${request.resource.name}`,
      );
    return { jobId: `${HANDLE}${operationId}` };
  }

  /** Reads the restore operation, then its job; never waits. */
  async describe(resource: ProtectedResource, jobId: string): Promise<RestoreJobStatus> {
    const { item } = restorableSource(resource);
    if (!jobId.startsWith(HANDLE) || jobId.length === HANDLE.length)
      throw new InvalidInputError(
        `"${jobId}" is not a Recovery Services restore handle; expected one returned by start (${HANDLE}…)`,
      );
    const operationId = jobId.slice(HANDLE.length);
    const client = this.#clients.get(item.subscriptionId);
    const status = await guardArm('recoveryservices:ProtectedItemOperationStatuses_Get', () =>
      client.protectedItemOperationStatuses.get(
        item.vault,
        item.resourceGroup,
        item.fabric,
        item.container,
        item.item,
        operationId,
      ),
    );
    const pending = restoreOperationState(resource.name, status.status, status.error?.message);
    if (pending) return pending;
    const job = status.properties && 'jobId' in status.properties ? status.properties.jobId : undefined;
    if (!job)
      throw new ProviderError(
        'recoveryservices:ProtectedItemOperationStatuses_Get',
        `operation ${operationId} succeeded but names no job`,
      );
    const details = await guardArm('recoveryservices:JobDetails_Get', () =>
      client.jobDetails.get(item.vault, item.resourceGroup, job),
    );
    const props = details.properties;
    const errors = (
      (props as { errorDetails?: { errorString?: string; errorCode?: number }[] } | undefined)
        ?.errorDetails ?? []
    )
      .map((e) => [e.errorCode, e.errorString].filter((x) => x !== undefined && x !== '').join(': '))
      .filter((m) => m.length > 0);
    return restoreJobState(
      RECOVERY_SERVICES_JOB_STATUSES,
      job,
      props?.status ?? 'Unknown',
      errors,
      targetResourceOf(resource),
    );
  }
}
function restorableSource(resource: ProtectedResource): {
  item: ProtectedItem;
  template: Record<string, unknown>;
} {
  const source = restorableSourceOf(resource, 'azure-recovery-services', 'RecoveryServicesRestoreService');
  const id = parseAzureId(source.protectedItemId);
  const [vault, fabric, container, item] = id?.segments ?? [];
  if (!id || !vault || !fabric || !container || !item)
    throw new InvalidInputError(
      `resource "${resource.name}": "${source.protectedItemId}" is not a protected item id`,
    );
  // The plan may write the request as the API body (`{ properties: {...} }`) or as its properties.
  const written = source.restore.request;
  const wrapped = written['properties'];
  const template =
    written['objectType'] === undefined && wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped)
      ? { ...(wrapped as Record<string, unknown>) }
      : { ...written };
  if (typeof template['objectType'] !== 'string')
    throw new InvalidInputError(
      `resource "${resource.name}" azureRecoveryServices.restore.request: objectType (e.g. IaasVMRestoreRequest, AzureWorkloadSQLPointInTimeRestoreRequest) is required`,
    );
  return {
    item: {
      subscriptionId: id.subscriptionId,
      resourceGroup: id.resourceGroup,
      vault: vault[1],
      fabric: fabric[1],
      container: container[1],
      item: item[1],
    },
    template,
  };
}

function targetResourceOf(resource: ProtectedResource): string | undefined {
  const written =
    resource.source.kind === 'azure-recovery-services' ? resource.source.restore?.request : undefined;
  const request = (written?.['properties'] as Record<string, unknown> | undefined) ?? written;
  const target = request?.['targetVirtualMachineId'] ?? request?.['targetResourceGroupId'];
  return typeof target === 'string' && target.length > 0 ? target : undefined;
}

/** The operation id at the end of an `.../operationsStatus/{id}` URL. */
function operationIdOf(url: string): string | undefined {
  const match = /\/operationsStatus\/([^/?]+)/i.exec(new URL(url, 'https://management.azure.com').pathname);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
