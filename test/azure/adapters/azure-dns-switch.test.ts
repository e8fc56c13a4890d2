import type { HttpClient } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { AzureDnsSwitch } from '#azure/adapters/azure-dns-switch.ts';
import { ConflictError, InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { createSimulatedAzureHttpClient, simulatedCredential } from '#sim/azure/http-client.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';

const ZONE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com';

function cloudWith(record: string): SimulatedCloud {
  return new SimulatedCloud(
    parseWorld(
      'world.yaml',
      `clock: 2026-11-21T12:00:00Z
azure:
  dnsRecordSets:
    - id: "${ZONE}/CNAME/case"
      name: case
      type: Microsoft.Network/dnszones/CNAME
      etag: etag-1
      properties: { TTL: 60, fqdn: case.example.com., ${record} }
    - id: "${ZONE}/A/api"
      name: api
      type: Microsoft.Network/dnszones/A
      etag: etag-a
      properties: { TTL: 60, ARecords: [{ ipv4Address: 10.0.0.1 }] }
`,
    ),
  );
}

const plan = (routing: Record<string, unknown> = {}) =>
  ({
    name: 'case-management',
    routing: {
      kind: 'azureDns',
      zoneId: ZONE,
      recordSet: 'case',
      recordType: 'CNAME',
      recoveryTarget: 'case-dr.northeurope.cloudapp.azure.com',
      ...routing,
    },
  }) as unknown as RecoveryPlan;

interface Sent {
  method: string;
  ifMatch: string | undefined;
  status: number;
}

/** Records requests and answers; `beforePut` runs before each PUT reaches the simulated ARM. */
function recording(
  cloud: SimulatedCloud,
  beforePut: () => void = () => {},
): { httpClient: HttpClient; sent: Sent[] } {
  const inner = createSimulatedAzureHttpClient(cloud);
  const sent: Sent[] = [];
  return {
    sent,
    httpClient: {
      sendRequest: async (request) => {
        if (request.method === 'PUT') beforePut();
        const response = await inner.sendRequest(request);
        sent.push({
          method: request.method,
          ifMatch: request.headers.get('if-match'),
          status: response.status,
        });
        return response;
      },
    },
  };
}

const cnameOf = (cloud: SimulatedCloud) => {
  const props = cloud.world.azure.dnsRecordSets[0]?.['properties'] as {
    CNAMERecord: { cname: string };
    metadata?: Record<string, string>;
  };
  return { cname: props.CNAMERecord.cname, metadata: props.metadata };
};

describe('AzureDnsSwitch', () => {
  it.each([
    { cname: 'case-weu.westeurope.cloudapp.azure.com', site: 'primary' },
    { cname: 'case-dr.northeurope.cloudapp.azure.com', site: 'recovery' },
    { cname: 'CASE-DR.northeurope.cloudapp.azure.com.', site: 'recovery' },
  ])('reads a CNAME to $cname as $site', async ({ cname, site }) => {
    const cloud = cloudWith(`CNAMERecord: { cname: "${cname}" }`);
    const dns = new AzureDnsSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    expect(await dns.activeSite(plan())).toBe(site);
  });

  it('reads A records by their addresses', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: x.example.net }');
    const dns = new AzureDnsSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    const aPlan = plan({ recordSet: 'api', recordType: 'A', recoveryTarget: '10.1.0.1' });
    expect(await dns.activeSite(aPlan)).toBe('primary');
    await dns.switchTo(aPlan, 'recovery');
    expect(await dns.activeSite(aPlan)).toBe('recovery');
  });

  it('switches with If-Match on the etag it read, remembering the primary target, and back again', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: case-weu.westeurope.cloudapp.azure.com }');
    const { httpClient, sent } = recording(cloud);
    const dns = new AzureDnsSwitch({ credential: simulatedCredential, httpClient });

    await dns.switchTo(plan(), 'recovery');

    expect(sent).toEqual([
      { method: 'GET', ifMatch: undefined, status: 200 },
      { method: 'PUT', ifMatch: 'etag-1', status: 200 },
    ]);
    expect(cnameOf(cloud)).toEqual({
      cname: 'case-dr.northeurope.cloudapp.azure.com',
      metadata: { standbyPrimaryTarget: 'case-weu.westeurope.cloudapp.azure.com' },
    });

    await dns.switchTo(plan(), 'primary');
    expect(cnameOf(cloud).cname).toBe('case-weu.westeurope.cloudapp.azure.com');
    expect(await dns.activeSite(plan())).toBe('primary');
  });

  it('sends no PUT when the record already points at the site', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: case-dr.northeurope.cloudapp.azure.com }');
    const { httpClient, sent } = recording(cloud);
    await new AzureDnsSwitch({ credential: simulatedCredential, httpClient }).switchTo(plan(), 'recovery');
    expect(sent.map((s) => s.method)).toEqual(['GET']);
  });

  it('re-reads after a 412 and retries once with the new etag', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: case-weu.westeurope.cloudapp.azure.com }');
    let edits = 0;
    const { httpClient, sent } = recording(cloud, () => {
      // Someone else edits the set between our read and our first write.
      if (edits++ === 0) cloud.world.azure.dnsRecordSets[0]!['etag'] = 'etag-2';
    });

    await new AzureDnsSwitch({ credential: simulatedCredential, httpClient }).switchTo(plan(), 'recovery');

    expect(sent).toEqual([
      { method: 'GET', ifMatch: undefined, status: 200 },
      { method: 'PUT', ifMatch: 'etag-1', status: 412 },
      { method: 'GET', ifMatch: undefined, status: 200 },
      { method: 'PUT', ifMatch: 'etag-2', status: 200 },
    ]);
    expect(cnameOf(cloud).cname).toBe('case-dr.northeurope.cloudapp.azure.com');
  });

  it('gives up with a ConflictError after a second 412', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: case-weu.westeurope.cloudapp.azure.com }');
    let n = 0;
    const { httpClient } = recording(cloud, () => {
      cloud.world.azure.dnsRecordSets[0]!['etag'] = `other-${n++}`;
    });
    const attempt = new AzureDnsSwitch({ credential: simulatedCredential, httpClient }).switchTo(
      plan(),
      'recovery',
    );
    await expect(attempt).rejects.toThrow(ConflictError);
    expect(cnameOf(cloud).cname).toBe('case-weu.westeurope.cloudapp.azure.com');
  });

  it('refuses to switch back when the primary target was never recorded', async () => {
    const cloud = cloudWith('CNAMERecord: { cname: case-dr.northeurope.cloudapp.azure.com }');
    const dns = new AzureDnsSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloud),
    });
    await expect(dns.switchTo(plan(), 'primary')).rejects.toThrow(/primary target is unknown/);
  });

  it('refuses an A record plan whose recovery target is not an IPv4 address', async () => {
    const dns = new AzureDnsSwitch({
      credential: simulatedCredential,
      httpClient: createSimulatedAzureHttpClient(cloudWith('CNAMERecord: { cname: x.example.net }')),
    });
    const attempt = dns.activeSite(
      plan({ recordSet: 'api', recordType: 'A', recoveryTarget: 'case-dr.example.com' }),
    );
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow(
      'must be IPv4 addresses (comma-separated); not: case-dr.example.com',
    );
  });
});
