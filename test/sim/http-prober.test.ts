import { describe, expect, it } from 'vitest';
import type { HttpProbe } from '#shared/domain/plan.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { SimulatedProber } from '#sim/http-prober.ts';
import { parseWorld } from '#sim/world.ts';

const URL_OK = 'https://case-api.dr.example.com/internal/health';
const probe = (url: string, attempts = 3): HttpProbe => ({
  url,
  expectStatus: 200,
  timeoutSeconds: 5,
  attempts,
});
const cloudWith = (http: Record<string, unknown>) =>
  new SimulatedCloud(parseWorld('world.json', JSON.stringify({ clock: '2026-11-21T12:00:00Z', http })));

describe('SimulatedProber', () => {
  it('passes a URL the world answers with the expected status, counting one http:GET', async () => {
    const cloud = cloudWith({ [URL_OK]: { status: 200 } });

    const result = await new SimulatedProber(cloud).probe(probe(URL_OK));

    expect(result).toEqual({ ok: true, detail: `GET ${URL_OK} answered 200 on attempt 1 of 3` });
    expect(cloud.stats()).toEqual({ 'http:GET': 1 });
  });

  it('fails the first failTimes probes, uses them up in the world, and moves simulated time by the backoff', async () => {
    const cloud = cloudWith({ [URL_OK]: { status: 200, failTimes: 2 } });
    const before = cloud.clock.now().getTime();

    const result = await new SimulatedProber(cloud).probe(probe(URL_OK));

    expect(result.detail).toBe(`GET ${URL_OK} answered 200 on attempt 3 of 3`);
    expect(cloud.world.http[URL_OK]?.failTimes).toBe(0);
    expect(cloud.stats()).toEqual({ 'http:GET': 3 });
    expect(cloud.clock.now().getTime() - before).toBe(3000);
  });

  it('reports a status other than the expected one', async () => {
    const cloud = cloudWith({ [URL_OK]: { status: 500 } });

    const result = await new SimulatedProber(cloud).probe(probe(URL_OK, 2));

    expect(result).toEqual({
      ok: false,
      detail: `GET ${URL_OK} failed all 2 attempts; last: answered 500, expected 200`,
    });
  });

  it('refuses the connection to a URL the world does not list, saying so', async () => {
    const cloud = cloudWith({});

    const result = await new SimulatedProber(cloud).probe(probe('https://nowhere.example.com/health', 1));

    expect(result.ok).toBe(false);
    expect(result.detail).toContain('connection failed (ECONNREFUSED)');
    expect(result.detail).toContain('the world has no http entry for https://nowhere.example.com/health');
  });

  it('answers an injected fault as a failed attempt', async () => {
    const world = parseWorld(
      'world.json',
      JSON.stringify({
        http: { [URL_OK]: { status: 200 } },
        faults: [{ api: 'http:GET', error: 'ServiceUnavailableException' }],
      }),
    );
    const cloud = new SimulatedCloud(world);

    const result = await new SimulatedProber(cloud).probe(probe(URL_OK, 2));

    expect(result.detail).toBe(`GET ${URL_OK} answered 200 on attempt 2 of 2`);
  });
});
