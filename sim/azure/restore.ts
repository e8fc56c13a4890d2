/**
 * Simulated restores of Azure Backup: Data Protection `BackupInstances_TriggerRestore` and
 * `BackupInstances_TriggerCrossRegionRestore` (API 2025-07-01) and Recovery Services `Restores_Trigger`
 * (API 2025-02-01), with the long-running-operation answers the real services give and the jobs they
 * create.
 *
 * State lives in `world.azure.jobs`, as the job GET bodies of each service, so dumping the world keeps
 * it. A trigger answers 202 with `Azure-AsyncOperation` and `Location`; the operation is `Succeeded`
 * at once (the real services take seconds to create the job) and names the job. The job is
 * `InProgress` until `cloud.clock` passes its `startTime` + `world.azure.restore.durationSeconds`,
 * then `Completed`, or `Failed` when its backup instance / protected item (id, case-insensitive, or
 * its last name) is in `world.azure.restore.fail`. Jobs settle when read, so no timer is needed.
 *
 * Operation ids lead back to the job without more state: Data Protection's is base64url of
 * `{activityID};{jobId}` (the real one is base64 of two GUIDs), Recovery Services' is the job's
 * `activityId`. A Recovery Services job carries the protected item id in
 * `extendedInfo.propertyBag['Protected Item Id']`, the only simulation-written value on the wire.
 *
 * Cross-region restore (`POST …/locations/{region}/crossRegionRestore`) restores from the points
 * `world.azure.secondaryRecoveryPoints` lists in that region, and needs the vault's
 * `properties.featureSettings.crossRegionRestoreSettings.state` to be `Enabled`. Its job is a Data
 * Protection job like the others (id under the source vault, as in the recorded example) plus one
 * field the real job does not have: a top-level `location`, the region it runs in. That field keeps
 * it out of the vault's own `Jobs_Get` / `Jobs_List` (a cross-region job is read in its region, with
 * `FetchCrossRegionRestoreJob_Get` / `FetchCrossRegionRestoreJobs_List`) and is removed from answers.
 */
import { randomUUID } from 'node:crypto';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';
import type { SimulatedCloud } from '../cloud.ts';
import {
  type ArmResponse,
  type ArmRoute,
  type ArmRouteContext,
  armError,
  pageOf,
  resourceNotFound,
  skipTokenOf,
} from './http-client.ts';

type Item = Record<string, unknown>;

const SUB = '^/subscriptions/([^/]+)';
const DPP = `${SUB}/resourcegroups/([^/]+)/providers/microsoft\\.dataprotection/backupvaults/([^/]+)`;
const DPP_LOCATION = `${SUB}/resourcegroups/([^/]+)/providers/microsoft\\.dataprotection/locations/([^/]+)`;
const RSV = `${SUB}/resourcegroups/([^/]+)/providers/microsoft\\.recoveryservices/vaults/([^/]+)`;
const RS_ITEM = `${RSV}/backupfabrics/([^/]+)/protectioncontainers/([^/]+)/protecteditems/([^/]+)`;

const DPP_API_VERSION = '2025-07-01';
const RS_API_VERSION = '2025-02-01';
const RUNNING = new Set(['inprogress', 'started']);
const DPP_JOB_TYPE = 'Microsoft.DataProtection/backupVaults/backupJobs';
const RS_JOB_TYPE = 'Microsoft.RecoveryServices/vaults/backupJobs';

const idOf = (item: Item): string => (typeof item['id'] === 'string' ? normalizeAzureId(item['id']) : '');
const propsOf = (item: Item): Item => (item['properties'] ?? {}) as Item;
const lastName = (id: string): string => id.split('/').pop() ?? id;

/** The original-case path segment at `index` (negative: from the end); ARM paths are matched lower-cased. */
function originalSegment(context: ArmRouteContext, index: number): string {
  const segments = context.request.url.pathname.replace(/\/+$/, '').split('/');
  return decodeURIComponent(segments.at(index) ?? '');
}

/** The id written the way the caller wrote it (the request path up to `/recoveryPoints`, say). */
function originalPrefix(context: ArmRouteContext, segments: number): string {
  return context.request.url.pathname
    .split('/')
    .slice(0, segments + 1)
    .map((s) => decodeURIComponent(s))
    .join('/');
}

function failing(cloud: SimulatedCloud, subjectId: string): boolean {
  const id = normalizeAzureId(subjectId);
  const name = lastName(id);
  return cloud.world.azure.restore.fail.some((f) => {
    const entry = normalizeAzureId(f);
    return entry === id || entry === name;
  });
}

function isRestoreJob(job: Item): boolean {
  const props = propsOf(job);
  return String(props['operation'] ?? '').toLowerCase() === 'restore';
}

/** When a running restore job completes, per the world's restore duration. */
function completionOf(cloud: SimulatedCloud, job: Item): Date | undefined {
  const props = propsOf(job);
  if (!isRestoreJob(job) || !RUNNING.has(String(props['status'] ?? '').toLowerCase())) return undefined;
  const start = Date.parse(String(props['startTime'] ?? ''));
  if (Number.isNaN(start)) return undefined;
  return new Date(start + cloud.world.azure.restore.durationSeconds * 1000);
}

/** The region a cross-region restore job runs in (the simulation's `location` marker); vault jobs have none. */
export function crossRegionJobLocation(job: Item): string | undefined {
  return typeof job['location'] === 'string' ? normalizeRegion(job['location']) : undefined;
}

/** A job as the wire carries it: without the simulation's `location` marker. */
function wireJob(job: Item): Item {
  const { location: _runsIn, ...wire } = job;
  return wire;
}

const isoDuration = (ms: number): string => `PT${Math.round(ms / 1000)}S`;

/** How each service's job body differs: the subject it restores, its error entries, its task list. */
interface JobFlavour {
  readonly type: string;
  /** The status a finished, successful restore job reports. */
  readonly succeeded: string;
  subjectOf(props: Item): string;
  errorDetail(message: string): Item;
  tasks(status: string, duration: string): Item;
}

const DPP_JOBS: JobFlavour = {
  type: DPP_JOB_TYPE,
  // As in the spec's job examples (JobCRUD/ListJobs.json, CrossRegionRestore/FetchCrossRegionRestoreJobs.json).
  succeeded: 'Succeeded',
  subjectOf: (props) => String(props['backupInstanceId'] ?? ''),
  errorDetail: (message) => ({
    code: 'UserErrorRestoreFailed',
    message,
    isRetryable: false,
    recommendations: [],
  }),
  tasks: (status) => ({ subTasks: [{ taskId: 1, taskName: 'Trigger Restore', taskStatus: status }] }),
};

const RS_JOBS: JobFlavour = {
  type: RS_JOB_TYPE,
  // The JobStatus enum of Microsoft.RecoveryServices.
  succeeded: 'Completed',
  subjectOf: (props) =>
    String(
      ((props['extendedInfo'] as Item | undefined)?.['propertyBag'] as Item | undefined)?.[
        'Protected Item Id'
      ] ?? '',
    ),
  errorDetail: (message) => ({
    errorCode: 400001,
    errorString: message,
    errorTitle: 'Restore failed',
    recommendations: [],
  }),
  tasks: (status, duration) => ({ tasksList: [{ taskId: 'Transfer data', status, duration }] }),
};

const isOfType = (job: Item, type: string): boolean =>
  String(job['type'] ?? '').toLowerCase() === type.toLowerCase();

/** Moves a running restore job to its end state once the clock has passed its completion. */
function settle(cloud: SimulatedCloud, job: Item): void {
  const end = completionOf(cloud, job);
  if (!end || cloud.clock.now().getTime() < end.getTime()) return;
  const props = propsOf(job);
  const flavour = isOfType(job, DPP_JOB_TYPE) ? DPP_JOBS : RS_JOBS;
  const subject = flavour.subjectOf(props);
  const failed = failing(cloud, subject);
  const status = failed ? 'Failed' : flavour.succeeded;
  const duration = isoDuration(end.getTime() - Date.parse(String(props['startTime'])));
  const message = `Restore of ${lastName(subject)} failed: the simulated world lists it in azure.restore.fail.`;
  job['properties'] = {
    ...props,
    status,
    endTime: end.toISOString(),
    duration,
    ...(failed ? { errorDetails: [flavour.errorDetail(message)] } : {}),
    extendedInfo: { ...((props['extendedInfo'] ?? {}) as Item), ...flavour.tasks(status, duration) },
  };
}

/** Settles every restore job of the world whose completion time the clock has passed. */
export function settleAzureRestoreJobs(cloud: SimulatedCloud): void {
  for (const job of cloud.world.azure.jobs) settle(cloud, job);
}

/** When the next running Azure restore job completes (possibly already past, if not yet read); none → undefined. */
export function nextAzureRestoreCompletion(cloud: SimulatedCloud): Date | undefined {
  let next: Date | undefined;
  for (const job of cloud.world.azure.jobs) {
    const end = completionOf(cloud, job);
    if (end && (!next || end.getTime() < next.getTime())) next = end;
  }
  return next;
}

/** The first job that `matches`, settled first so it is read as of now. */
function settledJob(cloud: SimulatedCloud, matches: (job: Item) => boolean): Item | undefined {
  const job = cloud.world.azure.jobs.find(matches);
  if (job) settle(cloud, job);
  return job;
}

/** The recovery point `name` under `instancePath` exists in the world (by `name` or `properties.recoveryPointId`). */
function hasPoint(cloud: SimulatedCloud, instancePath: string, name: string): boolean {
  const prefix = `${instancePath}/recoverypoints/`;
  return cloud.world.azure.recoveryPoints.some(
    (p) =>
      idOf(p).startsWith(prefix) &&
      (String(p['name'] ?? '').toLowerCase() === name.toLowerCase() ||
        lastName(idOf(p)) === name.toLowerCase() ||
        String(propsOf(p)['recoveryPointId'] ?? '').toLowerCase() === name.toLowerCase()),
  );
}

function accepted(asyncOperation: string, location: string): ArmResponse {
  return {
    status: 202,
    headers: { 'azure-asyncoperation': asyncOperation, location, 'retry-after': '10' },
  };
}

/** The restore request a Data Protection trigger needs, or the 400 the service answers without it. */
function restoreRequestProblem(body: Item): ArmResponse | undefined {
  if (
    typeof body['objectType'] !== 'string' ||
    typeof body['recoveryPointId'] !== 'string' ||
    !body['restoreTargetInfo'] ||
    typeof body['restoreTargetInfo'] !== 'object' ||
    !body['sourceDataStoreType']
  )
    return armError(
      400,
      'UserErrorInvalidRequestParameter',
      'The restore request needs objectType, recoveryPointId, restoreTargetInfo and sourceDataStoreType.',
    );
  return undefined;
}

/** What a new Data Protection restore job is made of. */
interface NewDataProtectionJob {
  readonly vault: Item;
  /** The vault and instance ids as the caller wrote them. */
  readonly vaultId: string;
  readonly instanceId: string;
  /** The `AzureBackupRestoreRequest`. */
  readonly body: Item;
  readonly pointId: string;
  readonly resourceGroup: string;
  readonly subscription: string;
  /** Set for a cross-region restore: the region the job runs in. */
  readonly runsIn?: string;
}

/** Adds an `InProgress` restore job to the world, as the Jobs GET shows it; returns its ids. */
function addDataProtectionJob(
  cloud: SimulatedCloud,
  job: NewDataProtectionJob,
): { jobId: string; activityId: string } {
  const { vault, vaultId, instanceId, body, pointId, resourceGroup, subscription } = job;
  const jobId = randomUUID();
  const activityId = randomUUID();
  const target = (body['restoreTargetInfo'] ?? {}) as Item;
  const datasource = (target['datasourceInfo'] ?? {}) as Item;
  const vaultName = String(vault['name'] ?? lastName(vaultId));
  cloud.world.azure.jobs.push({
    id: `${vaultId}/backupJobs/${jobId}`,
    name: jobId,
    type: DPP_JOB_TYPE,
    ...(job.runsIn ? { location: job.runsIn } : {}),
    properties: {
      activityID: activityId,
      backupInstanceFriendlyName: lastName(instanceId),
      backupInstanceId: instanceId,
      dataSourceId: String(body['sourceResourceId'] ?? datasource['resourceID'] ?? ''),
      dataSourceLocation: String(vault['location'] ?? ''),
      dataSourceName: String(datasource['resourceName'] ?? ''),
      dataSourceType: String(datasource['datasourceType'] ?? ''),
      duration: 'PT0S',
      extendedInfo: {
        recoveryDestination: String(datasource['resourceID'] ?? ''),
        sourceRecoverPoint: { recoveryPointID: pointId },
        subTasks: [{ taskId: 1, taskName: 'Trigger Restore', taskStatus: 'InProgress' }],
      },
      isUserTriggered: true,
      operation: 'Restore',
      operationCategory: 'Restore',
      progressEnabled: false,
      sourceResourceGroup: resourceGroup,
      sourceSubscriptionID: subscription,
      startTime: cloud.clock.now().toISOString(),
      status: 'InProgress',
      subscriptionId: subscription,
      supportedActions: [],
      vaultName,
    },
  });
  return { jobId, activityId };
}

function triggerDataProtection(context: ArmRouteContext): ArmResponse {
  const { cloud, request, match } = context;
  const [, subscription = '', resourceGroup = '', vaultName = ''] = match;
  const body = (request.body ?? {}) as Item;
  const instanceId = originalPrefix(context, 10);
  const instancePath = normalizeAzureId(instanceId);
  const vaultId = originalPrefix(context, 8);
  const vault = cloud.world.azure.vaults.find((v) => idOf(v) === normalizeAzureId(vaultId));
  if (!vault) return resourceNotFound('Microsoft.DataProtection/backupVaults', vaultName, resourceGroup);
  const invalid = restoreRequestProblem(body);
  if (invalid) return invalid;
  const pointId = String(body['recoveryPointId']);
  if (!hasPoint(cloud, instancePath, pointId))
    return armError(
      404,
      'UserErrorRecoveryPointNotFound',
      `Recovery point ${pointId} was not found for backup instance ${lastName(instanceId)}.`,
    );
  const { jobId, activityId } = addDataProtectionJob(cloud, {
    vault,
    vaultId,
    instanceId,
    body,
    pointId,
    resourceGroup,
    subscription,
  });
  const operationId = Buffer.from(`${activityId};${jobId}`, 'utf8').toString('base64url');
  const origin = request.url.origin;
  const location = String(vault['location'] ?? 'westeurope')
    .toLowerCase()
    .replace(/\s+/g, '');
  return accepted(
    `${origin}${vaultId}/operationStatus/${operationId}?api-version=${DPP_API_VERSION}`,
    `${origin}/subscriptions/${originalSegment(context, 2)}/providers/Microsoft.DataProtection/locations/${location}/operationResults/${operationId}?api-version=${DPP_API_VERSION}`,
  );
}

/** The Data Protection job an operation id names, or undefined when it names none. */
function dataProtectionJobOf(cloud: SimulatedCloud, operationId: string): Item | undefined {
  const decoded = Buffer.from(operationId, 'base64url').toString('utf8');
  const jobId = decoded.split(';')[1]?.toLowerCase();
  if (!jobId) return undefined;
  return settledJob(
    cloud,
    (j) => String(j['name'] ?? '').toLowerCase() === jobId && isOfType(j, DPP_JOB_TYPE),
  );
}

/** The cross-region restore point `name` of `instancePath`, listed in `region`, exists in the world. */
function hasSecondaryPoint(
  cloud: SimulatedCloud,
  instancePath: string,
  region: string,
  name: string,
): boolean {
  const prefix = `${instancePath}/recoverypoints/`;
  return cloud.world.azure.secondaryRecoveryPoints.some(
    (p) =>
      idOf(p).startsWith(prefix) &&
      normalizeRegion(String(p['location'] ?? '')) === region &&
      (String(p['name'] ?? '').toLowerCase() === name.toLowerCase() ||
        lastName(idOf(p)) === name.toLowerCase()),
  );
}

/**
 * The source vault a cross-region request names (`sourceBackupInstanceId` or `sourceBackupVaultId`,
 * with `sourceRegion`), or the answer the service gives when it cannot be used: 400 for a missing or
 * wrong field, 404 for a vault that does not exist.
 */
function sourceVaultOf(
  cloud: SimulatedCloud,
  given: Item | undefined,
  idField: 'sourceBackupInstanceId' | 'sourceBackupVaultId',
): { vault: Item; vaultId: string; sourceId: string; sourceRegion: string } | ArmResponse {
  const sourceId = given?.[idField];
  const sourceRegion = given?.['sourceRegion'];
  if (typeof sourceId !== 'string' || typeof sourceRegion !== 'string')
    return armError(
      400,
      'BadRequest',
      `The request must give ${idField} and sourceRegion (strings); got ${JSON.stringify(given ?? null)}.`,
    );
  const parsed = parseAzureId(sourceId);
  const vaultId = sourceId.split('/').slice(0, 9).join('/');
  const vault = cloud.world.azure.vaults.find((v) => idOf(v) === normalizeAzureId(vaultId));
  if (!parsed || !vault)
    return resourceNotFound(
      'Microsoft.DataProtection/backupVaults',
      parsed?.segments[0]?.[1] ?? sourceId,
      parsed?.resourceGroup ?? '',
    );
  if (normalizeRegion(String(vault['location'] ?? '')) !== normalizeRegion(sourceRegion))
    return armError(
      400,
      'BadRequest',
      `sourceRegion "${sourceRegion}" is not the region of the source vault (${String(vault['location'])}).`,
    );
  return { vault, vaultId, sourceId, sourceRegion };
}

const isAnswer = (value: object): value is ArmResponse => 'status' in value;

function triggerCrossRegion(context: ArmRouteContext): ArmResponse {
  const { cloud, request, match } = context;
  const [, subscription = '', , location = ''] = match;
  const region = normalizeRegion(location);
  const given = (request.body ?? {}) as Item;
  const details = given['crossRegionRestoreDetails'] as Item | undefined;
  const body = given['restoreRequestObject'] as Item | undefined;
  const source = sourceVaultOf(cloud, details, 'sourceBackupInstanceId');
  if (isAnswer(source)) return source;
  const { vault, vaultId, sourceId: instanceId } = source;
  if (!body || typeof body !== 'object')
    return armError(400, 'UserErrorInvalidRequestParameter', 'The request needs a restoreRequestObject.');
  const invalid = restoreRequestProblem(body);
  if (invalid) return invalid;
  const settings = ((vault['properties'] as Item | undefined)?.['featureSettings'] as Item | undefined)?.[
    'crossRegionRestoreSettings'
  ] as Item | undefined;
  if (String(settings?.['state'] ?? '').toLowerCase() !== 'enabled')
    return armError(
      400,
      'BadRequest',
      `Cross region restore is not enabled on vault ${String(vault['name'] ?? vaultId)} (properties.featureSettings.crossRegionRestoreSettings.state).`,
    );
  if (region === normalizeRegion(String(vault['location'] ?? '')))
    return armError(
      400,
      'BadRequest',
      `${location} is the vault's own region; cross region restore restores in its secondary region.`,
    );
  const pointId = String(body['recoveryPointId']);
  if (!hasSecondaryPoint(cloud, normalizeAzureId(instanceId), region, pointId))
    return armError(
      404,
      'UserErrorRecoveryPointNotFound',
      `Recovery point ${pointId} was not found in ${location} for backup instance ${lastName(instanceId)}.`,
    );
  const { jobId, activityId } = addDataProtectionJob(cloud, {
    vault,
    vaultId,
    instanceId,
    body,
    pointId,
    resourceGroup: parseAzureId(instanceId)?.resourceGroup ?? '',
    subscription,
    runsIn: region,
  });
  const operationId = Buffer.from(`${activityId};${jobId}`, 'utf8').toString('base64url');
  const origin = request.url.origin;
  // As in the recorded TriggerCrossRegionRestore example, the status is the source vault's operation;
  // the result is asked in the region the restore runs in.
  return accepted(
    `${origin}${vaultId}/operationStatus/${operationId}?api-version=${DPP_API_VERSION}`,
    `${origin}/subscriptions/${originalSegment(context, 2)}/providers/Microsoft.DataProtection/locations/${region}/operationResults/${operationId}?api-version=${DPP_API_VERSION}`,
  );
}

/** The cross-region restore jobs of the vault a request names, run in the request path's region. */
function crossRegionJobs(
  context: ArmRouteContext,
  given: Item | undefined,
): { jobs: Item[]; vaultId: string; sourceRegion: string } | ArmResponse {
  const source = sourceVaultOf(context.cloud, given, 'sourceBackupVaultId');
  if (isAnswer(source)) return source;
  const region = normalizeRegion(context.match[3] ?? '');
  const prefix = `${normalizeAzureId(source.vaultId)}/backupjobs/`;
  const jobs = context.cloud.world.azure.jobs.filter(
    (j) => crossRegionJobLocation(j) === region && idOf(j).startsWith(prefix),
  );
  for (const job of jobs) settle(context.cloud, job);
  return { jobs, vaultId: source.vaultId, sourceRegion: source.sourceRegion };
}

function fetchCrossRegionJob(context: ArmRouteContext): ArmResponse {
  const given = context.request.body as Item | undefined;
  const jobId = given?.['jobId'];
  if (typeof jobId !== 'string')
    return armError(
      400,
      'BadRequest',
      `The request must give jobId (a string); got ${JSON.stringify(given ?? null)}.`,
    );
  const found = crossRegionJobs(context, given);
  if (isAnswer(found)) return found;
  const job = found.jobs.find((j) => String(j['name'] ?? '').toLowerCase() === jobId.toLowerCase());
  return job
    ? { status: 200, body: wireJob(job) }
    : resourceNotFound('Microsoft.DataProtection/backupVaults/backupJobs', jobId, context.match[2] ?? '');
}

function fetchCrossRegionJobs(context: ArmRouteContext): ArmResponse {
  const { request } = context;
  const token = skipTokenOf(request);
  if (request.method === 'GET' && !token)
    return armError(
      400,
      'BadRequest',
      'fetchCrossRegionRestoreJobs is a POST; a GET must carry the $skipToken of a nextLink.',
    );
  const found = crossRegionJobs(context, (token ?? request.body) as Item | undefined);
  if (isAnswer(found)) return found;
  return pageOf(context, found.jobs.map(wireJob), {
    sourceBackupVaultId: found.vaultId,
    sourceRegion: found.sourceRegion,
  });
}

function operationNotFound(operationId: string): ArmResponse {
  return armError(404, 'OperationNotFound', `Operation ${operationId} was not found.`);
}

function triggerRecoveryServices(context: ArmRouteContext): ArmResponse {
  const { cloud, request, match } = context;
  const [, , resourceGroup = '', vaultName = '', , container = ''] = match;
  const itemId = originalPrefix(context, 14);
  const vaultId = originalPrefix(context, 8);
  const pointId = originalSegment(context, -2);
  const vault = cloud.world.azure.vaults.find((v) => idOf(v) === normalizeAzureId(vaultId));
  if (!vault) return resourceNotFound('Microsoft.RecoveryServices/vaults', vaultName, resourceGroup);
  const properties = ((request.body ?? {}) as Item)['properties'] as Item | undefined;
  if (!properties || typeof properties['objectType'] !== 'string')
    return armError(400, 'BMSUserErrorInvalidInput', 'The restore request needs properties.objectType.');
  if (!hasPoint(cloud, normalizeAzureId(itemId), pointId))
    return armError(
      404,
      'BMSUserErrorRecoveryPointNotFound',
      `Recovery point ${pointId} was not found for protected item ${lastName(itemId)}.`,
    );
  const kind = container.startsWith('iaasvmcontainer')
    ? { jobType: 'AzureIaaSVMJob', backupManagementType: 'AzureIaaSVM' }
    : container.startsWith('storagecontainer')
      ? { jobType: 'AzureStorageJob', backupManagementType: 'AzureStorage' }
      : { jobType: 'AzureWorkloadJob', backupManagementType: 'AzureWorkload' };
  const jobId = randomUUID();
  const activityId = randomUUID();
  const itemName = lastName(itemId);
  cloud.world.azure.jobs.push({
    id: `${vaultId}/backupJobs/${jobId}`,
    name: jobId,
    type: RS_JOB_TYPE,
    properties: {
      ...kind,
      activityId,
      duration: 'PT0S',
      entityFriendlyName: itemName.split(';').pop() ?? itemName,
      extendedInfo: {
        propertyBag: {
          'Protected Item Id': itemId,
          'Recovery point id': pointId,
          'Restore type': String(properties['recoveryType'] ?? ''),
        },
        tasksList: [{ taskId: 'Transfer data', status: 'InProgress', duration: 'PT0S' }],
      },
      operation: 'Restore',
      startTime: cloud.clock.now().toISOString(),
      status: 'InProgress',
    },
  });
  const origin = request.url.origin;
  return accepted(
    `${origin}${itemId}/operationsStatus/${activityId}?api-version=${RS_API_VERSION}`,
    `${origin}${itemId}/operationResults/${activityId}?api-version=${RS_API_VERSION}`,
  );
}

function recoveryServicesJobOf(cloud: SimulatedCloud, operationId: string): Item | undefined {
  return settledJob(
    cloud,
    (j) =>
      isOfType(j, RS_JOB_TYPE) &&
      String(propsOf(j)['activityId'] ?? '').toLowerCase() === operationId.toLowerCase(),
  );
}

/**
 * A GET of a restore's long-running operation (status or result): the operation id, last in the
 * path, leads to its job (`jobOf`); `answer` words the reply from that job.
 */
function operationRoute(
  path: RegExp,
  api: string,
  jobOf: (cloud: SimulatedCloud, operationId: string) => Item | undefined,
  answer: (job: Item, operationId: string, context: ArmRouteContext) => ArmResponse,
): ArmRoute {
  return {
    method: 'GET',
    path,
    api,
    handle: (context) => {
      const operationId = originalSegment(context, -1);
      const job = jobOf(context.cloud, operationId);
      return job ? answer(job, operationId, context) : operationNotFound(operationId);
    },
  };
}

/** A GET of one backup job of a vault, by its id (the request path); `type` names it in a 404. */
function jobRoute(path: RegExp, api: string, type: string): ArmRoute {
  return {
    method: 'GET',
    path,
    api,
    handle: ({ cloud, request, match }) => {
      // A cross-region restore job is read in its region, not through the vault.
      const job = settledJob(cloud, (j) => idOf(j) === request.path && !crossRegionJobLocation(j));
      return job ? { status: 200, body: job } : resourceNotFound(type, match[4] ?? '', match[2] ?? '');
    },
  };
}

/** The restore operations of both Azure Backup services that the simulation serves. */
export const restoreRoutes: readonly ArmRoute[] = [
  {
    method: 'POST',
    path: new RegExp(`${DPP}/backupinstances/[^/]+/restore$`),
    api: 'dataprotection:BackupInstances_TriggerRestore',
    handle: triggerDataProtection,
  },
  {
    method: 'POST',
    path: new RegExp(`${DPP_LOCATION}/crossregionrestore$`),
    api: 'dataprotection:BackupInstances_TriggerCrossRegionRestore',
    handle: triggerCrossRegion,
  },
  {
    method: 'POST',
    path: new RegExp(`${DPP_LOCATION}/fetchcrossregionrestorejob$`),
    api: 'dataprotection:FetchCrossRegionRestoreJob_Get',
    handle: fetchCrossRegionJob,
  },
  ...(['POST', 'GET'] as const).map(
    (method): ArmRoute => ({
      method,
      path: new RegExp(`${DPP_LOCATION}/fetchcrossregionrestorejobs$`),
      api: 'dataprotection:FetchCrossRegionRestoreJobs_List',
      handle: fetchCrossRegionJobs,
    }),
  ),
  operationRoute(
    new RegExp(`${DPP}/operationstatus/[^/]+$`),
    'dataprotection:OperationStatusBackupVaultContext_Get',
    dataProtectionJobOf,
    (job, operationId, context) => {
      const start = String(propsOf(job)['startTime']);
      // Like the recorded example, the status carries no job id: the caller reads the operation result.
      return {
        status: 200,
        body: {
          id: originalPrefix(context, 10),
          name: operationId,
          startTime: start,
          endTime: start,
          status: 'Succeeded',
        },
      };
    },
  ),
  operationRoute(
    new RegExp(`${SUB}/providers/microsoft\\.dataprotection/locations/[^/]+/operationresults/[^/]+$`),
    'dataprotection:OperationResult_Get',
    dataProtectionJobOf,
    (job) => ({
      status: 200,
      body: { jobId: String(job['name']), objectType: 'OperationJobExtendedInfo' },
    }),
  ),
  jobRoute(
    new RegExp(`${DPP}/backupjobs/([^/]+)$`),
    'dataprotection:Jobs_Get',
    'Microsoft.DataProtection/backupVaults/backupJobs',
  ),
  {
    method: 'POST',
    path: new RegExp(`${RS_ITEM}/recoverypoints/[^/]+/restore$`),
    api: 'recoveryservices:Restores_Trigger',
    handle: triggerRecoveryServices,
  },
  operationRoute(
    new RegExp(`${RS_ITEM}/operationsstatus/[^/]+$`),
    'recoveryservices:ProtectedItemOperationStatuses_Get',
    recoveryServicesJobOf,
    (job, operationId) => {
      const start = String(propsOf(job)['startTime']);
      return {
        status: 200,
        body: {
          id: operationId,
          name: operationId,
          status: 'Succeeded',
          startTime: start,
          endTime: start,
          properties: { objectType: 'OperationStatusJobExtendedInfo', jobId: String(job['name']) },
        },
      };
    },
  ),
  // A finished restore operation has no resource to return: 204, as the service answers.
  operationRoute(
    new RegExp(`${RS_ITEM}/operationresults/[^/]+$`),
    'recoveryservices:ProtectedItemOperationResults_Get',
    recoveryServicesJobOf,
    () => ({ status: 204 }),
  ),
  jobRoute(
    new RegExp(`${RSV}/backupjobs/([^/]+)$`),
    'recoveryservices:JobDetails_Get',
    'Microsoft.RecoveryServices/vaults/backupJobs',
  ),
];
