/**
 * Runs one seed: draws which cloud the world runs on (every 10th seed: the real AWS adapters on the
 * simulated cloud of `sim/`), builds the world and runs it.
 */
import { awsAdapterCloud } from './aws-cloud.ts';
import { FakeCloud } from './fake-cloud.ts';
import type { Flavour } from './workload.ts';
import { type CloudFactory, World, type WorldResult } from './world.ts';

/** Which cloud a seed runs on. */
export type CloudKind = 'fake-aws' | 'fake-azure' | 'aws-adapters';

/** The cloud of a seed: fake mostly, the real adapters on every 10th. */
export function cloudOf(seed: number): CloudKind {
  if (seed % 10 === 9) return 'aws-adapters';
  return seed % 3 === 2 ? 'fake-azure' : 'fake-aws';
}

export const fakeCloudFactory: CloudFactory = ({ clock, random, workload }) => {
  const level = random.pick([0, 0.15, 0.3]);
  const cloud = new FakeCloud(
    clock,
    random,
    { jobFailRate: level, probeFailRate: level / 5, durationSeconds: [60, 900] },
    workload.apps.filter((a) => a.routing).map((a) => a.name),
  );
  return { truth: cloud, restores: cloud, prober: cloud, traffic: cloud };
};

/** What one seed ended with. */
export interface SeedResult extends WorldResult {
  readonly seed: number;
  readonly cloud: CloudKind;
}

/** Runs `seed` once. */
export async function runSeed(seed: number): Promise<SeedResult> {
  const cloud = cloudOf(seed);
  const flavour: Flavour = cloud === 'fake-azure' ? 'azure' : 'aws';
  const factory = cloud === 'aws-adapters' ? awsAdapterCloud : fakeCloudFactory;
  const result = await new World(seed, flavour, factory).run();
  return { ...result, seed, cloud };
}
