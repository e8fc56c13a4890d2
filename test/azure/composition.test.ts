import { describe, expect, it } from 'vitest';
import { FetchProber, readAzureEnvironment } from '#azure/composition.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';

const probe = {
  url: 'https://portal-ne.example.org/healthz',
  expectStatus: 200,
  timeoutSeconds: 5,
  attempts: 3,
};

describe('readAzureEnvironment', () => {
  const key = 'x'.repeat(48);

  it('reads the app settings, falling back to the platform region name', () => {
    expect(
      readAzureEnvironment({
        STANDBY_PLANS_PATH: '/home/site/wwwroot/plans',
        COSMOS_ENDPOINT: 'https://standby.documents.azure.com:443/',
        APPROVAL_KEY: key,
        REGION_NAME: 'North Europe',
        ALERT_TEAMS_WEBHOOK: 'TEAMS_ALERTS_URL',
      }),
    ).toEqual({
      plansPath: '/home/site/wwwroot/plans',
      region: 'northeurope',
      cosmosEndpoint: 'https://standby.documents.azure.com:443/',
      cosmosDatabase: 'standby',
      cosmosContainer: 'state',
      approvalKey: Buffer.from(key),
      alertTarget: 'env:TEAMS_ALERTS_URL',
    });
  });

  it('names every missing or unusable setting at once, never the key itself', () => {
    const read = () => readAzureEnvironment({ STANDBY_PLANS_PATH: '/plans', APPROVAL_KEY: 'too-short' });
    expect(read).toThrow(InvalidInputError);
    expect(read).toThrow(
      'Standby app settings: COSMOS_ENDPOINT is not set; STANDBY_REGION is not set (nor REGION_NAME); APPROVAL_KEY holds 9 bytes; at least 32 are required',
    );
  });
});

describe('FetchProber', () => {
  it('passes on the first answer with the expected status', async () => {
    const answers = [503, 200];
    const prober = new FetchProber(
      async () => new Response(null, { status: answers.shift()! }),
      async () => undefined,
    );
    expect(await prober.probe(probe)).toEqual({
      ok: true,
      detail: 'GET https://portal-ne.example.org/healthz answered 200 on attempt 2',
    });
  });

  it('fails after every attempt, saying what the last one got', async () => {
    let calls = 0;
    const prober = new FetchProber(
      async () => {
        calls += 1;
        throw new TypeError('fetch failed');
      },
      async () => undefined,
    );
    expect(await prober.probe(probe)).toEqual({
      ok: false,
      detail: expect.stringContaining('failed: fetch failed (after 3 attempt(s))'),
    });
    expect(calls).toBe(3);
  });
});
