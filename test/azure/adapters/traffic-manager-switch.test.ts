import type { HttpClient } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { TrafficManagerSwitch } from '#azure/adapters/traffic-manager-switch.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const PROFILE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-case/providers/Microsoft.Network/trafficManagerProfiles/case';

interface Ep {
  status: 'Enabled' | 'Disabled';
  priority: number;
}

function cloudWith(primary: Ep, recovery: Ep, method = 'Priority'): SimulatedCloud {
  const endpoint = (name: string, type: string, e: Ep) => `
    - id: "${PROFILE}/${type}/${name}"
      name: ${name}
      type: Microsoft.Network/trafficManagerProfiles/${type}
      trafficRoutingMethod: ${method}
      properties: { endpointStatus: ${e.status}, priority: ${e.priority}, weight: 1, target: ${name}.example.com }`;
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      `clock: 2026-11-21T12:00:00Z
azure:
  trafficManagerEndpoints:${endpoint('case-weu', 'azureEndpoints', primary)}${endpoint('case-neu', 'externalEndpoints', recovery)}
`,
    ),
  );
}

const plan = {
  name: 'case-management',
  routing: {
    kind: 'azureTrafficManager',
    profileId: PROFILE,
    primaryEndpoint: 'case-weu',
    recoveryEndpoint: 'case-neu',
  },
} as unknown as RecoveryPlan;

/** The write requests sent, as "METHOD endpoint {properties}". */
function recording(cloud: SimulatedCloud): { httpClient: HttpClient; writes: string[] } {
  const inner = createSimulatedAzureHttpClient(cloud);
  const writes: string[] = [];
  return {
    writes,
    httpClient: {
      sendRequest: (request) => {
        if (request.method !== 'GET') {
          const name = new URL(request.url).pathname.split('/').pop();
          const props = (JSON.parse(String(request.body)) as { properties: unknown }).properties;
          writes.push(`${request.method} ${name} ${JSON.stringify(props)}`);
        }
        return inner.sendRequest(request);
      },
    },
  };
}

function endpointsOf(cloud: SimulatedCloud): Record<string, unknown> {
  return Object.fromEntries(
    cloud.world.azure.trafficManagerEndpoints.map((e) => {
      const p = e['properties'] as { endpointStatus: string; priority: number };
      return [e['name'], `${p.endpointStatus}/${p.priority}`];
    }),
  );
}

describe('TrafficManagerSwitch', () => {
  it.each([
    {
      primary: { status: 'Enabled', priority: 1 },
      recovery: { status: 'Disabled', priority: 2 },
      site: 'primary',
    },
    {
      primary: { status: 'Disabled', priority: 3 },
      recovery: { status: 'Enabled', priority: 1 },
      site: 'recovery',
    },
    {
      primary: { status: 'Enabled', priority: 1 },
      recovery: { status: 'Enabled', priority: 2 },
      site: 'primary',
    },
    {
      primary: { status: 'Enabled', priority: 5 },
      recovery: { status: 'Enabled', priority: 2 },
      site: 'recovery',
    },
    {
      primary: { status: 'Disabled', priority: 1 },
      recovery: { status: 'Disabled', priority: 2 },
      site: 'unknown',
    },
  ] as const)(
    'reads $primary.status/$primary.priority and $recovery.status/$recovery.priority as $site',
    async ({ primary, recovery, site }) => {
      const cloud = cloudWith(primary, recovery);
      const tm = new TrafficManagerSwitch({
        credential: simulatedCredential,
        httpClient: createSimulatedAzureHttpClient(cloud),
      });
      expect(await tm.activeSite(plan)).toBe(site);
    },
  );

  it('reads two enabled endpoints of a weighted profile as unknown (traffic is split)', async () => {
    const cloud = cloudWith(
      { status: 'Enabled', priority: 1 },
      { status: 'Enabled', priority: 2 },
      'Weighted',
    );
    const tm = new TrafficManagerSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    expect(await tm.activeSite(plan)).toBe('unknown');
  });

  it('enables the recovery endpoint first, then disables the primary, then gives recovery the top priority', async () => {
    const cloud = cloudWith({ status: 'Enabled', priority: 1 }, { status: 'Disabled', priority: 2 });
    const { httpClient, writes } = recording(cloud);
    const tm = new TrafficManagerSwitch({ credential: simulatedCredential, httpClient });

    await tm.switchTo(plan, 'recovery');

    expect(writes).toEqual([
      'PATCH case-neu {"endpointStatus":"Enabled"}',
      'PATCH case-weu {"endpointStatus":"Disabled","priority":3}',
      'PATCH case-neu {"priority":1}',
    ]);
    expect(endpointsOf(cloud)).toEqual({ 'case-weu': 'Disabled/3', 'case-neu': 'Enabled/1' });
    expect(await tm.activeSite(plan)).toBe('recovery');
  });

  it('switches a weighted profile with two requests, enable before disable', async () => {
    const cloud = cloudWith(
      { status: 'Enabled', priority: 1 },
      { status: 'Disabled', priority: 2 },
      'Weighted',
    );
    const { httpClient, writes } = recording(cloud);
    await new TrafficManagerSwitch({ credential: simulatedCredential, httpClient }).switchTo(
      plan,
      'recovery',
    );
    expect(writes).toEqual([
      'PATCH case-neu {"endpointStatus":"Enabled"}',
      'PATCH case-weu {"endpointStatus":"Disabled"}',
    ]);
  });

  it('switches back to the primary the same way', async () => {
    const cloud = cloudWith({ status: 'Disabled', priority: 3 }, { status: 'Enabled', priority: 1 });
    const { httpClient, writes } = recording(cloud);
    const tm = new TrafficManagerSwitch({ credential: simulatedCredential, httpClient });
    await tm.switchTo(plan, 'primary');
    expect(writes[0]).toBe('PATCH case-weu {"endpointStatus":"Enabled"}');
    expect(await tm.activeSite(plan)).toBe('primary');
  });

  it('sends nothing when the site is already active', async () => {
    const cloud = cloudWith({ status: 'Disabled', priority: 3 }, { status: 'Enabled', priority: 1 });
    const { httpClient, writes } = recording(cloud);
    await new TrafficManagerSwitch({ credential: simulatedCredential, httpClient }).switchTo(
      plan,
      'recovery',
    );
    expect(writes).toEqual([]);
    expect(cloud.stats()).toEqual({ 'network:Profiles_Get': 1 });
  });

  it('names the missing endpoint and those the profile has', async () => {
    const cloud = cloudWith({ status: 'Enabled', priority: 1 }, { status: 'Disabled', priority: 2 });
    const tm = new TrafficManagerSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    const wrong = { ...plan, routing: { ...plan.routing, recoveryEndpoint: 'case-dr' } } as RecoveryPlan;
    const attempt = tm.switchTo(wrong, 'recovery');
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow('has no recovery endpoint "case-dr"; it has: case-weu, case-neu');
  });
});
