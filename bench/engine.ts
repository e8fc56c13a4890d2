/**
 * The failover engine the benchmarks drive, wired as the CLI's composition root wires it
 * (`cli/engine.ts`): the real AWS adapters through real SDK clients against the simulated cloud.
 * This file is the only place that builds the controller (`createController`); the scenarios reach the engine only
 * through its public entry points, `handleEvent` and `advanceAll`, so a change to the controller's
 * construction is a change here alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backupClients } from '#cli/composition.ts';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import { AwsBackupRestoreService } from '#functions/adapters/aws-backup-restore.ts';
import { createStateTable, DynamoDbStateStore } from '#functions/adapters/dynamodb-state-store.ts';
import { Route53TrafficSwitch } from '#functions/adapters/route53-traffic-switch.ts';
import { type AdvanceReport, advanceAll } from '#shared/application/advance-all.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { createController } from '#shared/application/controller.ts';
import { type EventOutcome, handleEvent } from '#shared/application/handle-event.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedProber } from '#sim/http-prober.ts';

/** The engine's two entry points, bound to one plan set. */
export interface BenchEngine {
  handle(event: unknown): Promise<EventOutcome[]>;
  advance(): Promise<AdvanceReport>;
}

/** How to build it. */
export interface BenchEngineOptions {
  readonly store: StateStore;
  /**
   * List* calls per second the inventory paces itself to; default 20, the AWS quota. The decision
   * benchmark lifts it to measure the decision itself, not the quota's spacing of calls.
   */
  readonly listCallsPerSecond?: number;
  /**
   * StartRestoreJob calls per second the restore service paces itself to; default 5, the AWS quota.
   * Events handled back to back would otherwise queue behind each other's starts, which one alarm never does.
   */
  readonly startsPerSecond?: number;
}

const silent: Notifier = { send: async () => ({ delivered: true }) };

/** The engine over `cloud`, wired as `cli/engine.ts` wires it, with `options.store` for state. */
export function benchEngine(
  cloud: SimulatedCloud,
  plans: readonly RecoveryPlan[],
  options: BenchEngineOptions,
): BenchEngine {
  const clientFor = backupClients(
    (region) => new BackupClient(createSimulatedAwsClientConfig(cloud, region)),
  );
  const controller = createController({
    store: options.store,
    inventory: new CompositeInventory({
      'aws-backup': new AwsBackupInventory({
        clientFor,
        ...(options.listCallsPerSecond ? { maxCallsPerSecond: options.listCallsPerSecond } : {}),
      }),
    }),
    restores: new AwsBackupRestoreService({
      clientFor,
      ...(options.startsPerSecond ? { startsPerSecond: options.startsPerSecond } : {}),
    }),
    prober: new SimulatedProber(cloud),
    traffic: new Route53TrafficSwitch({
      route53: new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1')),
    }),
    notifier: silent,
    clock: cloud.clock,
    approvalKey: randomBytes(32),
    newId: () => randomUUID(),
    owner: 'bench',
  });
  return {
    handle: (event) => handleEvent(event, { plans, controller, actor: 'bench' }),
    advance: () => advanceAll(plans, controller),
  };
}

/** A fresh in-memory state store. */
export const inMemoryStore = (): StateStore => new InMemoryStateStore();

// dynalite ships no types; it returns a plain node:http server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;

/** dynalite on a loopback port with the state table created; `close` stops it. */
export async function dynaliteStore(): Promise<{ store: StateStore; close(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  await createStateTable(client, 'standby-bench', { timeToLive: false });
  return {
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(client),
      tableName: 'standby-bench',
    }),
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
