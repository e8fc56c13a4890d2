/**
 * The real Azure Traffic Manager adapter (`TrafficManagerSwitch`, through `@azure/arm-trafficmanager`
 * and core-rest-pipeline) on the simulated ARM of `sim/`, with faults injected inside the simulated
 * service. Its switch is three PATCHes (enable the target, disable the other, move priorities), so a
 * fault between them leaves a half-done switch the engine must reconcile. Restores and probes come
 * from the fake cloud: the simulated Data Protection service draws its operation ids with
 * `randomUUID` and keeps no idempotency token, so it could neither replay byte for byte nor tell the
 * checks which failover a job belongs to.
 */
import { TrafficManagerSwitch } from '#azure/adapters/traffic-manager-switch.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '../azure/http-client.ts';
import { parseWorld } from '../world.ts';
import { FakeCloud } from './fake-cloud.ts';
import { FaultyCloud } from './faulty-cloud.ts';
import type { CloudTruth, TruthRouting } from './truth.ts';
import { trafficManagerProfile } from './workload.ts';
import type { CloudFactory } from './world.ts';

/** Fake restores and probes, the real Traffic Manager switch on a faulty simulated ARM. */
export const azureAdapterCloud: CloudFactory = ({ clock, random, workload, dial }) => {
  const fake = new FakeCloud(
    clock,
    random.fork('fake'),
    { jobFailRate: 0.1, probeFailRate: 0.02, durationSeconds: [60, 900] },
    [],
  );
  const endpoints = workload.apps
    .filter((a) => a.routing)
    .flatMap((a) =>
      (['primary', 'recovery'] as const).map((site, i) => ({
        id: `${trafficManagerProfile(a.name)}/externalEndpoints/${site}`,
        name: site,
        type: 'Microsoft.Network/trafficManagerProfiles/externalEndpoints',
        properties: {
          target: `${site}.${a.name}.example.org`,
          endpointStatus: 'Enabled',
          endpointMonitorStatus: 'Online',
          priority: i + 1,
        },
      })),
    );
  const world = parseWorld(
    'sim-harness-azure-world.json',
    JSON.stringify({ clock: clock.now().toISOString(), azure: { trafficManagerEndpoints: endpoints } }),
  );
  const cloud = new FaultyCloud(world, clock, random.fork('api-faults'), () => dial().effect);
  const traffic = new TrafficManagerSwitch({
    credential: simulatedCredential,
    httpClient: createSimulatedAzureHttpClient(cloud),
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 4 },
  });
  const truth: CloudTruth = {
    probes: fake.probes,
    jobs: () => fake.jobs(),
    deletes: () => fake.deletes(),
    routing: (app: string): TruthRouting => {
      const mine = world.azure.trafficManagerEndpoints.filter((e) =>
        String(e.id).startsWith(`${trafficManagerProfile(app)}/`),
      );
      if (mine.length === 0) return 'absent';
      const props = (e: Record<string, unknown>) =>
        e.properties as { endpointStatus?: string; priority?: number };
      const enabled = mine.filter((e) => props(e).endpointStatus === 'Enabled');
      if (enabled.length === 0) return 'none';
      const first = enabled.sort((a, b) => (props(a).priority ?? 1000) - (props(b).priority ?? 1000))[0]!;
      return first.name === 'recovery' ? 'recovery' : 'primary';
    },
  };
  return { truth, restores: fake, prober: fake, traffic };
};
