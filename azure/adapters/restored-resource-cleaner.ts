/**
 * Deletes what a drill's Azure restore created, by the `createdResource` its restore job reported, with
 * Azure Resource Manager's delete by id (`DELETE https://management.azure.com{id}?api-version=…`,
 * `Resources_DeleteById`, which needs the api-version of the resource type's own provider: the table
 * is {@link DELETABLE_TYPES}). Every other type is refused before any call, naming it and what to
 * delete by hand ({@link deletePlanOf}).
 *
 * Resumable and stateless, as the port asks (functions/cleanup/service-delete.ts holds the contract):
 * each call reads where the delete is and makes the next move —
 * 1. GET the id: 404 (`ResourceNotFound`) → `deleted`; `provisioningState: Deleting` → `deleting`,
 *    and no second DELETE; a resource `managedBy` another (a disk attached to a VM, a VM of a scale
 *    set) is refused: the restore did not make it stand-alone;
 * 2. a VM first gets its own disks and NICs marked to go with it (restored-vm.ts);
 * 3. DELETE: 202 (long-running: `Azure-AsyncOperation` / `Location`) → `deleting`; 200/204 → GET
 *    again, `deleted` only when it answers 404; 404 → `deleted`.
 * The operation's status URL is not followed: the resource's own GET is what says it is gone.
 * A refusal of ARM (403 `AuthorizationFailed`, 409 …) throws a ProviderError naming the call and id.
 */
import type { Client } from '@azure-rest/core-client';
import { ProviderError } from '#shared/domain/errors.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import {
  type ArmConnectionOptions,
  type ArmRequestError,
  armBody,
  armPath,
  createArmClient,
  errorCodeOfStatus,
} from './arm-pipeline.ts';
import { type DeletableType, deletePlanOf } from './restored-resource-types.ts';
import { type ArmResourceBody, deleteVm, type ResourceCalls, stateOf } from './restored-vm.ts';

/** The Microsoft.Resources api-version of the client; every call here sets its type's own. */
const RESOURCES_API_VERSION = '2024-11-01';

/** ARM error codes of a 404 that mean the resource is gone (its group may be gone too). */
const GONE = new Set(['resourcenotfound', 'resourcegroupnotfound', 'notfound', 'parentresourcenotfound']);

const GET = 'resources:GetById';
const DELETE = 'resources:DeleteById';

/** Options of {@link ArmRestoredResourceCleaner}. */
export type ArmRestoredResourceCleanerOptions = ArmConnectionOptions;

/** The Azure side of {@link RestoredResourceCleaner}. */
export class ArmRestoredResourceCleaner implements RestoredResourceCleaner {
  readonly #calls: ResourceCalls;

  constructor(options: ArmRestoredResourceCleanerOptions) {
    this.#calls = new ArmResourceCalls(createArmClient(options, RESOURCES_API_VERSION));
  }

  async delete(resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    const plan = deletePlanOf(resource, createdResource);
    if (plan.kind === 'refuse')
      throw new ProviderError(
        'standby:DeleteRestored',
        `cannot delete what ${resource.name}'s restore created: ${plan.reason}`,
      );
    const { id, type } = plan;
    const found = await this.#calls.get(id, type);
    if (!found) return { state: 'deleted', detail: `${id} is gone (already deleted)` };
    const state = stateOf(found);
    if (state === 'deleting')
      return { state: 'deleting', detail: `${id} is being deleted (provisioningState Deleting)` };
    if (found.managedBy)
      throw new ProviderError(
        type.operation,
        `${id} is managed by ${found.managedBy}, so it is not a stand-alone resource a restore created; not deleted — delete it by hand`,
      );
    let withVm = '';
    if (type.vm) {
      if (state === 'updating')
        return {
          state: 'deleting',
          detail: `${id} is updating (deleteOption of its disks and NICs); deleted next`,
        };
      const next = await deleteVm(this.#calls, id, type, found);
      if ('state' in next) return next;
      withVm = ` ${next.detail}`;
    }
    const status = await this.#calls.delete(id, type);
    if (status === 202)
      return { state: 'deleting', detail: `${type.operation} ${id} accepted${withVm}; deleting` };
    if (status === 404 || !(await this.#calls.get(id, type)))
      return { state: 'deleted', detail: `${type.operation} ${id}${withVm}` };
    return {
      state: 'deleting',
      detail: `${type.operation} ${id} answered ${status}${withVm}; still there, deleting`,
    };
  }
}

/** {@link ResourceCalls} over a REST-level ARM client; each failure a ProviderError naming the call and the id. */
class ArmResourceCalls implements ResourceCalls {
  constructor(private readonly client: Client) {}

  async get(id: string, type: DeletableType): Promise<ArmResourceBody | undefined> {
    const response = await this.#send(GET, id, type, () =>
      this.client.pathUnchecked(armPath(id)).get({ queryParameters: { 'api-version': type.apiVersion } }),
    );
    if (isGone(response.status, response.body)) return undefined;
    return this.#body(GET, id, type, response) as ArmResourceBody;
  }

  async delete(id: string, type: DeletableType): Promise<number> {
    const response = await this.#send(DELETE, id, type, () =>
      this.client.pathUnchecked(armPath(id)).delete({ queryParameters: { 'api-version': type.apiVersion } }),
    );
    if (isGone(response.status, response.body)) return 404;
    this.#body(DELETE, id, type, response);
    return Number(response.status);
  }

  async patch(id: string, type: DeletableType, operation: string, body: unknown): Promise<number> {
    const response = await this.#send(operation, id, type, () =>
      this.client.pathUnchecked(armPath(id)).patch({
        body,
        contentType: 'application/json',
        queryParameters: { 'api-version': type.apiVersion },
      }),
    );
    this.#body(operation, id, type, response);
    return Number(response.status);
  }

  async #send<R>(operation: string, id: string, type: DeletableType, call: () => PromiseLike<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      throw new ProviderError(operation, `${id} (${type.type}): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  #body(
    operation: string,
    id: string,
    type: DeletableType,
    response: Parameters<typeof armBody>[1],
  ): unknown {
    try {
      return armBody(operation, response);
    } catch (error) {
      const e = error as ArmRequestError;
      throw new ProviderError(
        operation,
        `${id} (${type.operation}): ${e.message.replace(`${operation}: `, '')}`,
        {
          cause: error,
          code: errorCodeOfStatus(e.status),
        },
      );
    }
  }
}

/** A 404 whose ARM error code says the resource (or its group) does not exist; `InvalidResourceType` does not. */
function isGone(status: string, body: unknown): boolean {
  if (Number(status) !== 404) return false;
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code !== 'string' || GONE.has(code.toLowerCase());
}
