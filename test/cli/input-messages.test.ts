/**
 * Issue OPERATOR points 6 and 7 through the CLI: a self dependency is one problem, not two; a bound
 * is said in words with the value received, not zod's "Too big: expected number to be <=100"; a
 * replayed event moves the simulated clock to its own time when that is later.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const PLAN = 'test/fixtures/replay/plan.yaml';
const WORLD = 'test/fixtures/replay/world.yaml';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-messages-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function planWith(change: (text: string) => string): Promise<string> {
  const path = join(dir, 'plan.yaml');
  await writeFile(path, change(await readFile(PLAN, 'utf8')));
  return path;
}

describe('plan problems in words', () => {
  it.each([
    {
      what: 'a resource that depends on itself, reported once',
      change: (t: string) =>
        t.replace('    - name: orders-db\n', '    - name: orders-db\n      dependsOn: [orders-db]\n'),
      problem: `:14:19 spec.resources[0].dependsOn[0]: resource "orders-db" depends on itself`,
    },
    {
      what: 'a number past its bound, with the value received and the bound',
      change: (t: string) => t.replace('attempts: 2', 'attempts: 1000'),
      problem: ':54:86 spec.validate[0].http.attempts: is 1000; it must be at most 100',
    },
  ])('validate says $what', async ({ change, problem }) => {
    const plan = await planWith(change);
    const run = await runCli(['validate', plan]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`${plan}${problem}\nstandby: 1 problem in the plan files\n`);
    expect(run.stderr).not.toMatch(/Too big|expected number/);
  });
});

describe('standby replay and the simulated clock', () => {
  it('moves the clock to a later event time: the scheduled audit at 12:30 is judged at 12:30, not at 12:00', async () => {
    const event = join(dir, 'scheduled.json');
    await writeFile(
      event,
      JSON.stringify({
        version: '0',
        id: 'schedule-1230',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '123456789012',
        time: '2026-11-21T12:30:00Z',
        region: 'us-east-1',
        resources: ['arn:aws:events:us-east-1:123456789012:rule/standby-audit'],
        detail: {},
      }),
    );
    const run = await runCli([
      'replay',
      '--plan',
      PLAN,
      '--world',
      WORLD,
      '--state',
      join(dir, 'state'),
      '--json',
      event,
    ]);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      status: { generatedAt: string; apps: { freshness: { resource: string; ageSeconds: number }[] }[] };
    };
    expect(doc.status.generatedAt).toBe('2026-11-21T12:30:00.000Z');
    // orders-db's newest point was taken at 11:56 (-4m in the world file).
    expect(doc.status.apps[0]!.freshness[0]).toMatchObject({ resource: 'orders-db', ageSeconds: 34 * 60 });
  });
});
