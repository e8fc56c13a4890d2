/**
 * The CLI's failover engine: the controller with every port wired, the state kept under `--state DIR`,
 * and — with `--world` — the simulated cloud whose changes (restore jobs, records, clock) are kept in
 * the same directory, so a later command continues where the last one stopped.
 *
 * Layout of DIR: `controller/` (the controller's state, one JSON file per partition),
 * `world.json` (the simulated cloud as it is now, and the world file it came from),
 * `approval.key` (the HMAC key of approval tokens, created on first use, mode 0600).
 */

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BackupClient } from '@aws-sdk/client-backup';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import { SNSClient } from '@aws-sdk/client-sns';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { AzureDnsSwitch } from '#azure/adapters/azure-dns-switch.ts';
import { DataProtectionRestoreService } from '#azure/adapters/data-protection-restore.ts';
import { RecoveryServicesRestoreService } from '#azure/adapters/recovery-services-restore.ts';
import { TrafficManagerSwitch } from '#azure/adapters/traffic-manager-switch.ts';
import { AwsBackupRestoreService } from '#functions/adapters/aws-backup-restore.ts';
import { Route53TrafficSwitch } from '#functions/adapters/route53-traffic-switch.ts';
import { SnsNotifier } from '#functions/adapters/sns-notifier.ts';
import { ChannelNotifier } from '#platform/channel-notifier.ts';
import { describeFsError } from '#platform/fs-errors.ts';
import { HttpProber } from '#platform/http-prober.ts';
import { advanceAppAndDrill } from '#shared/application/advance-all.ts';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import { nextKeptExpiry } from '#shared/application/expire-kept-resources.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { nextScheduledDrill } from '#shared/application/scheduled-drills.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { Purpose } from '#shared/domain/failover.ts';
import type { BackupSource, ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import type { RestoreDefault } from '#shared/domain/rto-estimate.ts';
import type { Prober, RestoreService, TrafficSwitch } from '#shared/ports/recovery-actions.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { nextRestoreCompletion } from '#sim/aws/backup-restore.ts';
import { nextInstanceAvailable } from '#sim/aws/rds.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { nextAzureRestoreCompletion, settleAzureRestoreJobs } from '#sim/azure/restore.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedProber } from '#sim/http-prober.ts';
import { simulatedRestoreDefault } from '#sim/restore-durations.ts';
import { parseWorld } from '#sim/world.ts';
import { BoundStateStore } from './adapters/bound-state-store.ts';
import { FileStateStore } from './adapters/file-state-store.ts';
import { restoredResourceCleaner } from './adapters/restored-resource-cleaner.ts';
import { linkedTeams, openServeStore } from './adapters/serve-state.ts';
import { backupClients, type CliRuntime, createRuntime } from './composition.ts';
import { deliveredTokens } from './simulated-inbox.ts';

/** Everything a failover command needs. */
export interface Engine extends CliRuntime {
  readonly controller: Controller;
  readonly traffic: TrafficSwitch;
  /** Carries every failover as far as it can go; in simulation, lets simulated time pass for running jobs. */
  runUntilIdle(plans: readonly RecoveryPlan[]): Promise<void>;
  /**
   * Simulation only: lets `seconds` of simulated time pass as the cloud's scheduler would — restore
   * jobs end, retry delays and approval timeouts run out, each failover advanced at each such moment.
   */
  runFor(plans: readonly RecoveryPlan[], seconds: number): Promise<void>;
  /** Keeps the simulated cloud's changes in the state directory (no-op against the real clouds). */
  save(): Promise<void>;
  /** Approval tokens in the simulated inbox (none against the real clouds: tokens are never stored). */
  deliveredTokens(): readonly string[];
  /** How long a restore of `resource` takes by default: the simulated world's duration; none for real clouds. */
  restoreDefault(resource: ProtectedResource): RestoreDefault | undefined;
  /** Releases what the engine holds open (the embedded DynamoDB of a `serve` state directory). */
  close?(): Promise<void>;
}

/** How to open the engine. */
export interface EngineOptions {
  readonly worldPath?: string;
  readonly stateDir: string;
  /**
   * The approval endpoint notifications link to (`standby serve`: http://localhost:PORT); without it,
   * messages name the CLI commands.
   */
  readonly approvalBaseUrl?: string;
}

interface WorldSnapshot {
  readonly source: string;
  readonly sha256: string;
  readonly world: unknown;
}

/** How the adapters reach each cloud: the simulated one when given, else the real ones (one SDK attempt each). */
function connections(cloud: SimulatedCloud | undefined): {
  readonly azure: { credential: TokenCredential; httpClient?: HttpClient };
  readonly awsConfig: (region: string) => object;
} {
  return {
    azure: cloud
      ? { credential: simulatedCredential, httpClient: createSimulatedAzureHttpClient(cloud) }
      : { credential: new DefaultAzureCredential() },
    awsConfig: (region) =>
      cloud ? createSimulatedAwsClientConfig(cloud, region) : { region, maxAttempts: 1 },
  };
}

/** The traffic switch of every routing kind, on the simulated cloud when one is given. */
export function trafficSwitch(cloud: SimulatedCloud | undefined): TrafficSwitch {
  const { azure, awsConfig } = connections(cloud);
  return new CompositeTrafficSwitch({
    route53: new Route53TrafficSwitch({
      route53: new Route53Client(awsConfig('us-east-1')),
      arcClientFor: (endpoint, region) =>
        new Route53RecoveryClusterClient({ ...awsConfig(region), endpoint }),
    }),
    azureTrafficManager: new TrafficManagerSwitch(azure),
    azureDns: new AzureDnsSwitch(azure),
  });
}

/** The restore service of each backup source, on the simulated cloud when one is given, else the real ones. */
export function restoreServices(cloud: SimulatedCloud | undefined): {
  readonly [K in BackupSource['kind']]: RestoreService;
} {
  const { azure, awsConfig } = connections(cloud);
  return {
    'aws-backup': new AwsBackupRestoreService({
      clientFor: backupClients((region) => new BackupClient(awsConfig(region))),
      rdsClientFor: backupClients((region) => new RDSClient(awsConfig(region))),
    }),
    'azure-backup': new DataProtectionRestoreService(azure),
    'azure-recovery-services': new RecoveryServicesRestoreService(azure),
  };
}

/**
 * Opens the engine:
 * 1. the simulated cloud from the snapshot in DIR when it was made from the same world file,
 *    else from the world file (a snapshot of another world is an input error: nothing is changed);
 * 2. the ports: restores, traffic switches, prober and notifier per cloud, through the real adapters;
 * 3. the controller over the file state store, with the approval key of DIR.
 */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  await assertStateMatches(options);
  const cloud =
    options.worldPath === undefined ? undefined : await loadCloud(options.worldPath, options.stateDir);
  const runtime = await createRuntime(cloud ? { cloud } : {});
  const { awsConfig } = connections(cloud);
  const restores = new CompositeRestoreService(restoreServices(cloud));
  const traffic = trafficSwitch(cloud);
  const prober: Prober = cloud ? new SimulatedProber(cloud) : new HttpProber();
  const { approvalBaseUrl } = options;
  const notifier = new ChannelNotifier({
    sns: new SnsNotifier({
      client: new SNSClient(awsConfig('us-east-1')),
      ...(approvalBaseUrl ? { approvalBaseUrl } : {}),
    }),
    teams: linkedTeams(cloud, approvalBaseUrl),
  });
  // A state directory `standby serve` made keeps its state in the embedded DynamoDB, not in files.
  const local = await openServeStore(options.stateDir);
  const controller = createController({
    store: bound(
      local?.store ?? new FileStateStore({ dir: join(options.stateDir, 'controller') }),
      cloud,
      options,
    ),
    inventory: runtime.inventory,
    restores,
    prober,
    traffic,
    cleaner: restoredResourceCleaner(cloud),
    notifier,
    clock: runtime.clock,
    approvalKey: () => approvalKey(options.stateDir),
    newId: () => randomUUID(),
    // One owner per machine: a CLI run that died holds nothing the next run on this machine cannot take.
    owner: `standby-cli@${hostname()}`,
  });
  return {
    ...runtime,
    controller,
    traffic,
    runUntilIdle: (plans) => runUntilIdle(plans, controller, cloud),
    runFor: async (plans, seconds) => {
      if (!cloud) throw new InvalidInputError('time can only be moved in a simulation: add --world');
      await runUntilIdle(plans, controller, cloud, new Date(cloud.clock.now().getTime() + seconds * 1000));
    },
    deliveredTokens: () => (cloud ? deliveredTokens(cloud) : []),
    restoreDefault: (resource) => (cloud ? simulatedRestoreDefault(cloud.world, resource) : undefined),
    save: async () => {
      if (cloud && options.worldPath !== undefined)
        await saveCloud(cloud, options.worldPath, options.stateDir);
    },
    ...(local ? { close: local.close } : {}),
  };
}

/**
 * Advances every plan's failover; while one waits for a restore job and the cloud is simulated,
 * moves simulated time to the next job's end (or retry delay) and goes again. Stops when nothing more
 * can happen without outside input (an approval, a job of the real cloud, a new event) — or, with
 * `until`, moves time on to `until` (approval timeouts included) and stops there.
 */
async function runUntilIdle(
  plans: readonly RecoveryPlan[],
  controller: Controller,
  cloud?: SimulatedCloud,
  until?: Date,
): Promise<void> {
  for (let round = 0; round < 10_000; round++) {
    const results = [];
    // Moving time on (`advance --by`), each app advances as the deployed tick does: its failover, a
    // scheduled drill that came due, its drill, and the expiry of what drills kept.
    for (const plan of plans)
      if (until) {
        const advanced = await advanceAppAndDrill(controller, plan);
        results.push(advanced.failover, advanced.drill);
      } else results.push(await advanceFailover(controller, plan));
    if (!cloud) return;
    const waiting = results.includes('waiting-for-jobs');
    if (!waiting && !until) return;
    const due = await Promise.all(plans.map((p) => nextDue(controller, p.name, until !== undefined)));
    if (until) due.push(...(await Promise.all(plans.map((p) => nextDrillWork(controller, p)))));
    const next = [
      ...(waiting
        ? [nextRestoreCompletion(cloud), nextInstanceAvailable(cloud), nextAzureRestoreCompletion(cloud)]
        : []),
      ...due,
    ]
      .filter((d): d is Date => d !== undefined && d.getTime() > cloud.clock.now().getTime())
      .sort((a, b) => a.getTime() - b.getTime())[0];
    if (until && (!next || next.getTime() > until.getTime())) {
      if (cloud.clock.now().getTime() >= until.getTime()) return;
      cloud.clock.advanceTo(until);
      settleAzureRestoreJobs(cloud);
      continue;
    }
    if (!next) return;
    cloud.clock.advanceTo(next);
    settleAzureRestoreJobs(cloud);
  }
}

/** The controller store of DIR; with a simulation, the world snapshot is saved before the first write. */
function bound(store: StateStore, cloud: SimulatedCloud | undefined, options: EngineOptions) {
  const { worldPath, stateDir } = options;
  return cloud && worldPath !== undefined
    ? new BoundStateStore(store, () => saveCloud(cloud, worldPath, stateDir))
    : store;
}

/**
 * The earliest moment the app's failover in flight has something to do by itself: a retry delay
 * (`notBefore`) running out, and — with `approvals` — its approval request expiring.
 */
async function nextDue(controller: Controller, app: string, approvals: boolean): Promise<Date | undefined> {
  const failover = (await readAppState(controller.store, app)).failover;
  const times = (failover?.steps ?? []).flatMap((s) => (s.notBefore ? [Date.parse(s.notBefore)] : []));
  if (approvals && failover?.phase === 'awaiting-approval' && failover.approval)
    times.push(Date.parse(failover.approval.expiresAt));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/**
 * The earliest moment an app's drill side has something to do by itself: a retry delay of its drill,
 * its schedule's next firing, the expiry of what a drill kept.
 */
async function nextDrillWork(controller: Controller, plan: RecoveryPlan): Promise<Date | undefined> {
  const drill = (await readAppState(controller.store, plan.name, Purpose.Drill)).failover;
  const times = [
    ...(drill?.steps ?? []).flatMap((s) => (s.notBefore ? [Date.parse(s.notBefore)] : [])),
    (await nextKeptExpiry(controller.store, plan.name))?.getTime() ?? Number.NaN,
    (await nextScheduledDrill(controller.store, plan))?.getTime() ?? Number.NaN,
  ].filter((t) => Number.isFinite(t));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

/** Approval keys shorter than this are refused, as the cloud composition roots refuse them. */
const MIN_APPROVAL_KEY_BYTES = 32;

/** The HMAC key of DIR, created (32 random bytes, mode 0600) on first use. */
async function approvalKey(stateDir: string): Promise<Buffer> {
  const path = join(stateDir, 'approval.key');
  try {
    return await readApprovalKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(MIN_APPROVAL_KEY_BYTES);
  await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return readApprovalKey(path);
}

/** An emptied or truncated key file would sign tokens anyone can forge: refuse it rather than use it. */
async function readApprovalKey(path: string): Promise<Buffer> {
  const { mode } = await stat(path);
  // Anyone who can read the key can sign approvals: refuse a key others can read, as ssh does.
  if (mode & 0o077)
    throw new InvalidInputError(
      `approval key ${path} can be read by others (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (key.length < MIN_APPROVAL_KEY_BYTES)
    throw new InvalidInputError(
      `approval key ${path} holds ${key.length} bytes of base64; at least ${MIN_APPROVAL_KEY_BYTES} are required ` +
        '(remove the file to have a new key made; tokens already sent then stop working)',
    );
  return key;
}

/**
 * A state directory belongs to one cloud: the simulation of one world (it holds `world.json`), or the
 * real clouds (it holds controller state and no `world.json`). Reading one as the other would show a
 * simulated failover as real routing — or act on real clouds from simulated state — so a mismatch is
 * refused, naming both, before anything is read or written.
 */
async function assertStateMatches(options: EngineOptions): Promise<void> {
  const { stateDir, worldPath } = options;
  const snapshot = await readFile(join(stateDir, 'world.json'), 'utf8').then(
    (text) => text,
    () => undefined,
  );
  if (worldPath === undefined && snapshot !== undefined) {
    let source = 'a simulated world';
    try {
      source = (JSON.parse(snapshot) as Partial<WorldSnapshot>).source ?? source;
    } catch {
      // a damaged snapshot still marks the directory as simulated
    }
    throw new InvalidInputError(
      `${stateDir} holds the simulation of ${source}, and this command runs against the real clouds (no --world); ` +
        `add --world ${source} to go on with the simulation, or use another --state directory for real state`,
    );
  }
  if (worldPath !== undefined && snapshot === undefined) {
    const real = await readdir(join(stateDir, 'controller')).then(
      (files) => files.length > 0,
      () => false,
    );
    if (real)
      throw new InvalidInputError(
        `${stateDir} holds controller state of the real clouds, and this command simulates ${worldPath} (--world); ` +
          'use another --state directory for the simulation, or leave out --world',
      );
  }
}

async function loadCloud(worldPath: string, stateDir: string): Promise<SimulatedCloud> {
  const text = await readFile(worldPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`world file ${worldPath} cannot be read (${describeFsError(error)})`, {
      cause: error,
    });
  });
  const sha256 = createHash('sha256').update(text).digest('hex');
  const snapshotPath = join(stateDir, 'world.json');
  const snapshotText = await readFile(snapshotPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined; // no snapshot yet: start from the world file
    throw new InvalidInputError(`${snapshotPath} cannot be read (${describeFsError(error)})`, {
      cause: error,
    });
  });
  if (snapshotText === undefined) return new SimulatedCloud(parseWorld(worldPath, text));
  let snapshot: WorldSnapshot | null;
  try {
    snapshot = JSON.parse(snapshotText) as WorldSnapshot | null;
  } catch (error) {
    throw new InvalidInputError(
      `${snapshotPath} is not valid JSON (${(error as Error).message}); remove ${stateDir} to start over from ${worldPath}`,
      { cause: error },
    );
  }
  if (snapshot?.sha256 !== sha256)
    throw new InvalidInputError(
      `${stateDir} holds the simulation of another world (${snapshot?.source ?? 'an unknown world file'}, changed since or different); ` +
        `use another --state directory, or remove ${stateDir} to start over from ${worldPath}`,
    );
  return new SimulatedCloud(parseWorld(snapshotPath, JSON.stringify(snapshot.world)));
}

async function saveCloud(cloud: SimulatedCloud, worldPath: string, stateDir: string): Promise<void> {
  const text = await readFile(worldPath, 'utf8');
  const snapshot: WorldSnapshot = {
    source: worldPath,
    sha256: createHash('sha256').update(text).digest('hex'),
    world: { ...cloud.world, clock: cloud.clock.now().toISOString() },
  };
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, 'world.json');
  await writeFile(`${path}.tmp`, `${JSON.stringify(snapshot, null, 1)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}
