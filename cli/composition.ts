/**
 * The CLI's composition root: builds the backup inventories and the clock once per command run.
 * With `--world` every SDK client talks to the simulated cloud through its real serialization path
 * (the simulation sits behind the clients' HTTP layer); without it, to the real clouds with the
 * standard credential chains (AWS_PROFILE/env/SSO; DefaultAzureCredential).
 */

import { readFile } from 'node:fs/promises';
import { BackupClient } from '@aws-sdk/client-backup';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { DataProtectionInventory } from '#azure/adapters/data-protection-inventory.ts';
import { RecoveryServicesInventory } from '#azure/adapters/recovery-services-inventory.ts';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import { describeFsError } from '#platform/fs-errors.ts';
import { CompositeInventory, type InventoriesByKind } from '#shared/application/composite-inventory.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';
import { ObservedCounter } from './progress.ts';

/** What a command runs against. */
export interface CliRuntime {
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  /** The simulated cloud, with `--world`: its clock is `clock` and it counts calls for `--stats`. */
  readonly cloud?: SimulatedCloud;
}

/** How to build the runtime. */
export interface RuntimeOptions {
  /** A world file: run against the simulated cloud it describes. */
  readonly worldPath?: string;
  /** An already loaded simulated cloud (from a state directory's snapshot); wins over `worldPath`. */
  readonly cloud?: SimulatedCloud;
  /** Called with the number of resources each inventory has answered for (progress display). */
  readonly onObserved?: (resources: number) => void;
}

/** Reads and checks a world file; throws `InvalidWorldError` (file:line) or {@link InvalidInputError}. */
export async function loadWorld(path: string): Promise<SimulatedCloud> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`world file ${path} cannot be read (${describeFsError(error)})`, {
      cause: error,
    });
  });
  return new SimulatedCloud(parseWorld(path, text));
}

/** One client per region (a BackupClient unless told), made on first use: an audit touches only the recovery regions. */
export function backupClients<T = BackupClient>(make: (region: string) => T): (region: string) => T {
  const clients = new Map<string, T>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

function inventories(
  clientFor: (region: string) => BackupClient,
  credential: TokenCredential,
  httpClient?: HttpClient,
): InventoriesByKind {
  const azure = { credential, ...(httpClient ? { httpClient } : {}) };
  return {
    'aws-backup': new AwsBackupInventory({ clientFor }),
    'azure-backup': new DataProtectionInventory(azure),
    'azure-recovery-services': new RecoveryServicesInventory(azure),
  };
}

/** Builds the inventories and clock for one command run. */
export async function createRuntime(options: RuntimeOptions = {}): Promise<CliRuntime> {
  // The SDK warns on every run under Node 20 that *future* SDK releases will need Node 22; the SDK
  // here is pinned by the lockfile, so the notice is only noise on a CLI's stderr. Set the variable
  // to anything else to see it.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  let byKind: InventoriesByKind;
  let clock: Clock;
  let cloud: SimulatedCloud | undefined;
  if (options.cloud !== undefined || options.worldPath !== undefined) {
    const simulated = options.cloud ?? (await loadWorld(options.worldPath!));
    byKind = inventories(
      backupClients((region) => new BackupClient(createSimulatedAwsClientConfig(simulated, region))),
      simulatedCredential,
      createSimulatedAzureHttpClient(simulated),
    );
    clock = simulated.clock;
    cloud = simulated;
  } else {
    byKind = inventories(
      backupClients((region) => new BackupClient({ region, maxAttempts: 1 })),
      new DefaultAzureCredential(),
    );
    clock = systemClock;
  }
  const onObserved = options.onObserved;
  if (onObserved)
    byKind = Object.fromEntries(
      Object.entries(byKind).map(([kind, inventory]) => [kind, new ObservedCounter(inventory, onObserved)]),
    );
  return { inventory: new CompositeInventory(byKind), clock, ...(cloud ? { cloud } : {}) };
}
