import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { request, SERVE_PLANS, SERVE_WORLD, type ServeRun, startServe } from './serve-harness.ts';

interface Outcome {
  effect: string;
  app: string | null;
  reason: string;
}
interface StatusDoc {
  generatedAt: string;
  apps: {
    name: string;
    activeSite: string;
    failover: { id: string; phase: string } | null;
    notifications: { kind: string; approveToken?: string; failoverId?: string }[];
  }[];
}

const paymentsAlarm = async () =>
  JSON.parse(await readFile('examples/events/payments-api-5xx-alarm.json', 'utf8')) as unknown;

// One tick at start only: simulated time stands still between requests, so documents compare exactly.
const STILL = { tickMs: 3_600_000 };

describe('standby serve HTTP API', () => {
  let serve: ServeRun;
  beforeAll(async () => {
    serve = await startServe(STILL);
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('POST /events handles a delivered alarm as the handlers do: payments asks for approval', async () => {
    const answer = await request(`${serve.url}/events`, { method: 'POST', body: await paymentsAlarm() });
    expect(answer.status).toBe(200);
    expect((answer.body as { outcomes: Outcome[] }).outcomes).toMatchObject([
      { app: 'payments', effect: 'approval-requested' },
    ]);
    const status = (await request(`${serve.url}/api/status`)).body as StatusDoc;
    expect(status.apps.find((a) => a.name === 'payments')?.failover?.phase).toBe('awaiting-approval');
  });

  it.each([
    ['a body that is not JSON', '{"version":', 'application/json', 400, /not JSON/],
    ['an object no cloud sends', { hello: 'world' }, 'application/json', 400, /not accepted/],
    ['a form instead of JSON', 'a=1', 'application/x-www-form-urlencoded', 415, /application\/json/],
  ])('POST /events refuses %s and changes nothing', async (_, body, contentType, status, message) => {
    const before = (await request(`${serve.url}/api/status`)).body;
    const answer = await request(`${serve.url}/events`, { method: 'POST', body, contentType });
    expect(answer.status).toBe(status);
    expect((answer.body as { error: string }).error).toMatch(message);
    expect((await request(`${serve.url}/api/status`)).body).toEqual(before);
  });

  it('names the reasons of a rejected event', async () => {
    const alarm = (await paymentsAlarm()) as Record<string, unknown>;
    const answer = await request(`${serve.url}/events`, {
      method: 'POST',
      body: { ...alarm, detail: { alarmName: 'payments-api-5xx' } },
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { reasons: string[] }).reasons.join(' ')).toMatch(/state/);
  });

  it('refuses a body over the limit with 413', async () => {
    const answer = await request(`${serve.url}/events`, {
      method: 'POST',
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(answer.status).toBe(413);
  });

  it.each([
    ['GET', '/events', 405, 'POST'],
    ['POST', '/api/status', 405, 'GET'],
    ['GET', '/api/apps/payments/drill', 405, 'POST'],
    ['DELETE', '/', 405, 'GET, HEAD'],
  ])('answers %s %s with %i, allowing %s', async (method, path, status, allow) => {
    const answer = await request(`${serve.url}${path}`, { method });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('allow')).toBe(allow);
  });

  it.each([
    ['/nothing', 404, /nothing at \/nothing/],
    ['/api/apps/payments/explode', 404, /no control "explode"/],
  ])('answers %s with %i', async (path, status, message) => {
    const answer = await request(`${serve.url}${path}`, { method: 'POST', body: {} });
    expect(answer.status).toBe(status);
    expect((answer.body as { error: string }).error).toMatch(message);
  });

  it('refuses another Host (DNS rebinding) with 421', async () => {
    const { port } = new URL(serve.url);
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: '/api/status', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(421);
  });

  it('refuses a control for an application the plans do not name, listing those they do', async () => {
    const answer = await request(`${serve.url}/api/apps/nope/drill`, { method: 'POST', body: {} });
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toMatch(/case-management, citizen-portal, payments/);
  });

  it('GET /api/evidence gives the evidence report, of one app with ?app=', async () => {
    const all = (await request(`${serve.url}/api/evidence`)).body as { apps: { app: string }[] };
    expect(all.apps.map((a) => a.app)).toEqual(['case-management', 'citizen-portal', 'payments']);
    const one = (await request(`${serve.url}/api/evidence?app=payments`)).body as { apps: { app: string }[] };
    expect(one.apps.map((a) => a.app)).toEqual(['payments']);
    expect((await request(`${serve.url}/api/evidence?app=nope`)).status).toBe(400);
  });

  it('break-backup fails the next backup: a FAILED job reaches the controller as AWS Backup sends it', async () => {
    const answer = await request(`${serve.url}/api/apps/case-management/break-backup`, {
      method: 'POST',
      body: { resource: 'case-db' },
    });
    expect(answer.status).toBe(200);
    const body = answer.body as { resource: string; noBackupUntil: string; outcomes: Outcome[] };
    expect(body.resource).toBe('case-db');
    expect(body.outcomes[0]?.reason).toMatch(/ended FAILED/);
    const bad = await request(`${serve.url}/api/apps/case-management/break-backup`, {
      method: 'POST',
      body: { resource: 'case-nope' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/no resource "case-nope"/);
  });

  it('run drill starts a drill of the app', async () => {
    const answer = await request(`${serve.url}/api/apps/case-management/drill`, { method: 'POST', body: {} });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ effect: 'drill-started' });
  });

  it('serves the approval page for a link: GET shows and changes nothing, a bad token is refused', async () => {
    const missing = await request(`${serve.url}/approve`);
    expect(missing.status).toBe(400);
    expect(missing.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const forged = await request(`${serve.url}/approve?t=sb2.e30.${'A'.repeat(43)}`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
  });

  it('GET /api/stream sends the dashboard snapshot as a server-sent event', async () => {
    const controller = new AbortController();
    const response = await fetch(`${serve.url}/api/stream`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!/event: snapshot\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const data = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)![1]!) as { status: StatusDoc };
    expect(data.status.apps.map((a) => a.name)).toEqual(['case-management', 'citizen-portal', 'payments']);
  });

  it('serves the dashboard with a Content Security Policy and no inline script', async () => {
    const page = await fetch(`${serve.url}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await page.text();
    expect(html).toMatch(/<script type="module" src="\/dashboard.js">/);
    expect(html).not.toMatch(/<script>/);
  });
});

describe('standby serve state', () => {
  it('GET /api/status is the standby status --json document of the same state, and a restart goes on from it', async () => {
    const serve = await startServe(STILL);
    await request(`${serve.url}/events`, { method: 'POST', body: await paymentsAlarm() });
    const served = (await request(`${serve.url}/api/status`)).body as StatusDoc;
    expect(await serve.stop()).toBe(0);

    const cli = await runCli([
      'status',
      '--json',
      '--plan',
      SERVE_PLANS,
      '--world',
      SERVE_WORLD,
      '--state',
      serve.stateDir,
    ]);
    expect(cli.stderr).toBe('');
    expect(JSON.parse(cli.stdout)).toEqual(served);

    const again = await startServe({ ...STILL, stateDir: serve.stateDir });
    try {
      const resumed = (await request(`${again.url}/api/status`)).body as StatusDoc;
      const payments = (doc: StatusDoc) => doc.apps.find((a) => a.name === 'payments')!;
      expect(payments(resumed).failover).toMatchObject({
        id: payments(served).failover!.id,
        phase: 'awaiting-approval',
      });
      expect(Date.parse(resumed.generatedAt)).toBeGreaterThanOrEqual(Date.parse(served.generatedAt));
    } finally {
      await again.stop();
    }
  });

  it('refuses a state directory of CLI file state, changing nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'standby-files-'));
    const replay = await runCli([
      'replay',
      'examples/events/payments-api-5xx-alarm.json',
      '--plan',
      SERVE_PLANS,
      '--world',
      SERVE_WORLD,
      '--state',
      dir,
    ]);
    expect(replay.code).toBe(0);
    const before = await readdir(dir);
    await expect(startServe({ ...STILL, stateDir: dir })).rejects.toThrow(/file state of CLI commands/);
    expect(await readdir(dir)).toEqual(before);
  });
});
