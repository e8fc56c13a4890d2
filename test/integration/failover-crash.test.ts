/**
 * Crash safety with the real adapters on the simulated cloud: the controller dies after each state
 * write in turn, a new instance takes over, and the cloud still sees one restore job per resource
 * and one traffic change — the idempotency comes from the real StartRestoreJob token path and the
 * real Route 53 read-before-flip, not from fakes.
 */
import { readFileSync } from 'node:fs';
import { BackupClient } from '@aws-sdk/client-backup';
import { Route53Client } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { AwsBackupInventory } from '#functions/adapters/aws-backup-inventory.ts';
import { AwsBackupRestoreService } from '#functions/adapters/aws-backup-restore.ts';
import { Route53TrafficSwitch } from '#functions/adapters/route53-traffic-switch.ts';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import { createController, DEFAULT_LEASE_SKEW_SECONDS } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import type { ItemKey, StateStore, WriteOptions } from '#shared/ports/state-store.ts';
import { nextRestoreCompletion } from '#sim/aws/backup-restore.ts';
import { createSimulatedAwsClientConfig } from '#sim/aws/request-handler.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedProber } from '#sim/http-prober.ts';
import { parseWorld } from '#sim/world.ts';

const PLAN = 'test/fixtures/replay/plan.yaml';
const WORLD = 'test/fixtures/replay/world.yaml';
const plan = readPlans([{ file: PLAN, text: readFileSync(PLAN, 'utf8') }])[0]!.plan;
const trigger = {
  kind: 'alarm',
  ref: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
  eventId: 'e',
} as const;

class Crash extends Error {}

/** Passes calls through until `crashAfterWrites` writes landed, then every call throws. */
class DyingStore implements StateStore {
  writes = 0;
  constructor(
    private readonly inner: StateStore,
    private readonly crashAfterWrites: number,
  ) {}
  private alive() {
    if (this.writes >= this.crashAfterWrites) throw new Crash('controller died');
  }
  async get<T>(k: ItemKey) {
    this.alive();
    return this.inner.get<T>(k);
  }
  async query<T>(p: string, s?: string) {
    this.alive();
    return this.inner.query<T>(p, s);
  }
  async create<T>(k: ItemKey, v: T, o?: WriteOptions) {
    this.alive();
    const r = await this.inner.create(k, v, o);
    this.writes += 1;
    return r;
  }
  async update<T>(k: ItemKey, v: T, e: number, o?: WriteOptions) {
    this.alive();
    const r = await this.inner.update(k, v, e, o);
    this.writes += 1;
    return r;
  }
}

function controllerOn(cloud: SimulatedCloud, store: StateStore, owner: string) {
  const backup = new BackupClient(createSimulatedAwsClientConfig(cloud, 'us-west-2'));
  return createController({
    store,
    inventory: new AwsBackupInventory({ clientFor: () => backup }),
    restores: new AwsBackupRestoreService({ clientFor: () => backup }),
    prober: new SimulatedProber(cloud),
    traffic: new Route53TrafficSwitch({
      route53: new Route53Client(createSimulatedAwsClientConfig(cloud, 'us-east-1')),
    }),
    notifier: { send: async () => ({ delivered: true }) },
    clock: cloud.clock,
    approvalKey: Buffer.alloc(32, 3),
    newId: () => 'f1',
    owner,
  });
}

async function drive(controller: Controller, cloud: SimulatedCloud) {
  for (let i = 0; i < 20; i++) {
    if ((await advanceFailover(controller, plan)) !== 'waiting-for-jobs') return;
    const next = nextRestoreCompletion(cloud);
    if (!next) return;
    cloud.clock.advanceTo(next);
  }
}

describe('failover on the simulated cloud, controller killed after each state write', () => {
  it('completes with one restore job per resource and one Route 53 change, whatever write it died after', async () => {
    const text = readFileSync(WORLD, 'utf8');
    let crashPoints = 0;
    for (let k = 1; k < 200; k++) {
      const cloud = new SimulatedCloud(parseWorld(WORLD, text));
      const store = new InMemoryStateStore();
      const dying = new DyingStore(store, k);
      const first = controllerOn(cloud, dying, 'a');
      const died = await requestFailover(first, plan, trigger)
        .then(() => drive(first, cloud))
        .then(() => false)
        .catch((e: unknown) => {
          if (!(e instanceof Crash)) throw e;
          return true;
        });
      if (!died) break; // the run got through: every write of a complete failover was a crash point
      crashPoints += 1;
      cloud.clock.advance(301 + DEFAULT_LEASE_SKEW_SECONDS); // the dead controller's lease expires, by more than the skew
      const second = controllerOn(cloud, store, 'b');
      await requestFailover(second, plan, trigger);
      await drive(second, cloud);
      const state = await readAppState(second.store, plan.name);
      expect({ k, phase: state.failover?.phase }).toEqual({ k, phase: 'completed' });
      expect({ k, jobs: cloud.world.aws.restoreJobs.length }).toEqual({ k, jobs: 3 });
      expect({ k, changes: cloud.stats()['route53:ChangeResourceRecordSets'] }).toEqual({ k, changes: 1 });
    }
    expect(crashPoints).toBeGreaterThan(10);
  });
});
