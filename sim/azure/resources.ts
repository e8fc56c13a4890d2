/**
 * Simulated ARM resources that drills restore and tear down: managed disks and VMs, as their GET
 * answers them (`Disks_Get` of DiskRP 2024-03-02, `VirtualMachines_Get` of ComputeRP 2024-11-01), held
 * in `world.azure.resources`. Served by id, as `Resources_DeleteById` and the providers' own APIs do:
 * - `GET {id}`: the resource, or 404 `ResourceNotFound`;
 * - `DELETE {id}`: 202 with `Location` and `Azure-AsyncOperation`, the resource `Deleting` for
 *   {@link DELETE_SECONDS}, then gone (a VM takes with it the disks it lists with `deleteOption:
 *   Delete`); 404 when it does not exist; a second DELETE while deleting is accepted again (202);
 * - `PATCH {vm id}` (`VirtualMachines_Update`): the body's `properties` merged in (JSON merge patch:
 *   objects merged, arrays replaced), answered 200 with the VM.
 * Every request needs an `api-version` (400 `MissingApiVersionParameter` without one, as ARM answers).
 * Deletions settle when read, like restore jobs: the simulation-only `deleteAfter` field says when,
 * and is never sent.
 */
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import {
  type ArmResponse,
  type ArmRoute,
  type ArmRouteContext,
  armError,
  resourceNotFound,
} from './http-client.ts';

type Item = Record<string, unknown>;

/** How long a simulated delete takes: long enough that a tear-down polls at least once. */
export const DELETE_SECONDS = 60;

const RESOURCE =
  /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/(disks|virtualmachines)\/([^/]+)$/;

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');
const propsOf = (item: Item): Item => (item['properties'] ?? {}) as Item;

/** Removes every resource whose delete has finished by now. */
function settleDeletes(cloud: SimulatedCloud): void {
  const now = cloud.clock.now().getTime();
  const resources = cloud.world.azure.resources;
  const done = resources.filter(
    (r) => typeof r['deleteAfter'] === 'string' && Date.parse(r['deleteAfter']) <= now,
  );
  if (done.length === 0) return;
  const going = new Set(done.flatMap((r) => [idOf(r), ...disksDeletedWith(r)]));
  for (let i = resources.length - 1; i >= 0; i -= 1)
    if (going.has(idOf(resources[i]!))) resources.splice(i, 1);
}

/** The disks a VM lists with `deleteOption: Delete`, lower-case ids. */
function disksDeletedWith(vm: Item): string[] {
  const storage = (propsOf(vm)['storageProfile'] ?? {}) as Item;
  const disks = [storage['osDisk'], ...((storage['dataDisks'] ?? []) as unknown[])] as (Item | undefined)[];
  return disks.flatMap((d) => {
    const id = ((d?.['managedDisk'] ?? {}) as Item)['id'];
    return String(d?.['deleteOption'] ?? '').toLowerCase() === 'delete' && typeof id === 'string'
      ? [normalizeAzureId(id)]
      : [];
  });
}

/** The resource at the request's path, settled as of now; or the answer to give instead. */
function found(context: ArmRouteContext): { resource: Item } | { answer: ArmResponse } {
  if (!context.request.query.get('api-version'))
    return {
      answer: armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      ),
    };
  settleDeletes(context.cloud);
  const resource = context.cloud.world.azure.resources.find((r) => idOf(r) === context.request.path);
  if (resource) return { resource };
  const [, group = '', kind = '', name = ''] = context.match;
  return { answer: resourceNotFound(`Microsoft.Compute/${kind}`, name, group) };
}

/** The resource as the wire carries it: without the simulation's `deleteAfter`. */
function wire(resource: Item): Item {
  const { deleteAfter: _when, ...body } = resource;
  return body;
}

/** RFC 7386 merge patch: objects merged key by key, `null` removes, anything else (arrays too) replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Item) } : {};
  for (const [key, value] of Object.entries(patch as Item)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

function remove(context: ArmRouteContext): ArmResponse {
  const result = found(context);
  if ('answer' in result) return result.answer;
  const { resource } = result;
  const now = context.cloud.clock.now().getTime();
  resource['deleteAfter'] ??= new Date(now + DELETE_SECONDS * 1000).toISOString();
  resource['properties'] = { ...propsOf(resource), provisioningState: 'Deleting' };
  const origin = context.request.url.origin;
  const operation = `${origin}/subscriptions/${context.request.path.split('/')[2]}/providers/Microsoft.Compute/locations/${String(resource['location'] ?? 'westeurope')}/operations/${idOf(resource).split('/').pop()}`;
  const version = context.request.query.get('api-version');
  return {
    status: 202,
    headers: {
      location: `${operation}?monitor=true&api-version=${version}`,
      'azure-asyncoperation': `${operation}?api-version=${version}`,
      'retry-after': '10',
    },
  };
}

function update(context: ArmRouteContext): ArmResponse {
  const result = found(context);
  if ('answer' in result) return result.answer;
  const { resource } = result;
  if (resource['deleteAfter'])
    return armError(409, 'OperationNotAllowed', 'The VM is being deleted; no update is allowed.');
  const patch = (context.request.body ?? {}) as Item;
  resource['properties'] = mergePatch(propsOf(resource), patch['properties'] ?? {});
  return { status: 200, body: wire(resource) };
}

/** The restored-resource operations the simulated ARM serves. */
export const resourceRoutes: readonly ArmRoute[] = [
  {
    method: 'GET',
    path: RESOURCE,
    api: 'resources:GetById',
    handle: (context) => {
      const result = found(context);
      return 'answer' in result ? result.answer : { status: 200, body: wire(result.resource) };
    },
  },
  { method: 'DELETE', path: RESOURCE, api: 'resources:DeleteById', handle: remove },
  {
    method: 'PATCH',
    path: /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)\/providers\/microsoft\.compute\/(virtualmachines)\/([^/]+)$/,
    api: 'compute:VirtualMachines_Update',
    handle: update,
  },
];
