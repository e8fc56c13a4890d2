import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backoffMs, HttpProber } from '#platform/http-prober.ts';
import type { HttpProbe } from '#shared/domain/plan.ts';

const probe = (url: string, extra: Partial<HttpProbe> = {}): HttpProbe => ({
  url,
  expectStatus: 200,
  timeoutSeconds: 1,
  attempts: 3,
  ...extra,
});

describe('HttpProber', () => {
  // A real HTTP server, so the real fetch, timeout and connection handling are exercised.
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const n = (hits.get(req.url ?? '') ?? 0) + 1;
      hits.set(req.url ?? '', n);
      if (req.url === '/healthy') return res.writeHead(200).end('ok');
      if (req.url === '/flaky') return res.writeHead(n <= 2 ? 503 : 200).end();
      if (req.url === '/redirect') return res.writeHead(302, { location: '/login' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 3000);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const waits: number[] = [];
  const prober = () => new HttpProber({ sleep: async (ms) => void waits.push(ms) });

  it('passes on the first answer with the expected status', async () => {
    waits.length = 0;
    const result = await prober().probe(probe(`${base}/healthy`));

    expect(result).toEqual({ ok: true, detail: `GET ${base}/healthy answered 200 on attempt 1 of 3` });
    expect(waits).toEqual([]);
  });

  it('retries with growing backoff until the expected status comes', async () => {
    waits.length = 0;
    const result = await prober().probe(probe(`${base}/flaky`));

    expect(result).toEqual({ ok: true, detail: `GET ${base}/flaky answered 200 on attempt 3 of 3` });
    expect(waits).toEqual([1000, 2000]);
  });

  it.each([
    ['a wrong status', '/broken', 'last: answered 500, expected 200'],
    ['a redirect it does not follow', '/redirect', 'last: answered 302, expected 200'],
  ])('fails on %s after every attempt, saying what came back', async (_, path, detail) => {
    const result = await prober().probe(probe(`${base}${path}`, { attempts: 2 }));

    expect(result.ok).toBe(false);
    expect(result.detail).toBe(`GET ${base}${path} failed all 2 attempts; ${detail}`);
  });

  it('passes when the plan expects the redirect', async () => {
    expect((await prober().probe(probe(`${base}/redirect`, { expectStatus: 302 }))).ok).toBe(true);
  });

  it('gives up on a try that exceeds its timeout', async () => {
    const result = await prober().probe(probe(`${base}/slow`, { attempts: 1, timeoutSeconds: 0.2 }));

    expect(result).toEqual({
      ok: false,
      detail: `GET ${base}/slow failed all 1 attempts; last: no answer within 0.2s`,
    });
  });

  it('names the network error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/health`;
    await new Promise((resolve) => closed.close(resolve));

    const result = await prober().probe(probe(url, { attempts: 1 }));

    expect(result.ok).toBe(false);
    expect(result.detail).toContain('connection failed (ECONNREFUSED)');
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [4, 8000],
    [5, 10_000],
    [9, 10_000],
  ])('waits %i → %i ms', (attempt, ms) => {
    expect(backoffMs(attempt)).toBe(ms);
  });
});
