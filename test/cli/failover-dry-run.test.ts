/**
 * Issue OPERATOR point 8: steps are named after what they check (a probe by its URL, its id unchanged),
 * and `failover --dry-run` estimates the RTO from the restores seen before — the world's defaults
 * until a restore of the type was seen, saying which.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const PROBE = 'validate https://orders.us-west-2.example.com/health';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-dry-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const engine = (command: string, ...extra: string[]) =>
  runCli([
    command,
    '--plan',
    'test/fixtures/replay/plan.yaml',
    '--world',
    'test/fixtures/replay/world.yaml',
    '--state',
    join(dir, 'state'),
    ...extra,
  ]);

interface Estimate {
  seconds: number | null;
  rtoSeconds: number;
  withinRto: boolean | null;
  resources: { resource: string; seconds: number | null; basis: string; detail: string }[];
}

describe('steps named after what they check', () => {
  it('shows a probe step by its URL in the dry run, the status table and status --json, keeping its id', async () => {
    const dry = await engine('failover', '--app', 'orders', '--dry-run');
    expect(dry.stdout).toContain(`${PROBE}  expect 200`);
    expect(dry.stdout).not.toContain('validate:1');
    expect((await engine('failover', '--app', 'orders')).code).toBe(0);
    const table = await engine('status');
    expect(table.stdout).toMatch(new RegExp(`${PROBE.replaceAll('.', '\\.')} +succeeded`));
    expect(table.stdout).not.toContain('validate:1');
    const json = JSON.parse((await engine('status', '--json')).stdout) as {
      apps: { failover: { steps: { name: string; label: string }[] } }[];
    };
    expect(json.apps[0]!.failover.steps.find((s) => s.name === 'validate:1')?.label).toBe(PROBE);
  });
});

describe('standby failover --dry-run RTO estimate', () => {
  it('uses the world defaults before any restore, then the restore durations seen, saying the basis', async () => {
    const before = await engine('failover', '--app', 'orders', '--dry-run', '--json');
    const first = (JSON.parse(before.stdout) as { rtoEstimate: Estimate }).rtoEstimate;
    expect(first).toMatchObject({ seconds: 1800, rtoSeconds: 3600, withinRto: true });
    expect(first.resources.map((r) => r.basis)).toEqual(['default', 'default', 'default']);
    expect(first.resources[0]!.detail).toContain(
      "no aws:rds:db restore seen; the simulated world's aws.restore.durationSeconds (600s)",
    );
    const table = await engine('failover', '--app', 'orders', '--dry-run');
    expect(table.stdout).toContain('RTO estimate: 30m 0s, within the RTO 1h');

    expect((await engine('failover', '--app', 'orders')).code).toBe(0);
    const after = await engine('failover', '--app', 'orders', '--dry-run', '--json');
    const second = (JSON.parse(after.stdout) as { rtoEstimate: Estimate }).rtoEstimate;
    expect(second.resources.map((r) => [r.resource, r.seconds, r.basis])).toEqual([
      ['orders-db', 600, 'seen'],
      ['orders-files', 600, 'seen'],
      ['orders-app', 600, 'seen'],
    ]);
    expect(second.resources[0]!.detail).toMatch(
      /^longest of 1 aws:rds:db restore\(s\) seen \(orders\/orders-db, ended /,
    );
  });
});
