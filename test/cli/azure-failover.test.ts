/**
 * Acceptance of an Azure failover through the CLI: the citizen-portal plan (its Backup vault
 * resources; the Recovery Services VM left out) on the example world, whose vault is in West Europe
 * and whose plan restores in North Europe, so each restore is a Data Protection cross-region restore.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from './run-cli.ts';

const WORLD = 'examples/world.yaml';
const ALERT_SAMPLE = resolve(
  import.meta.dirname,
  '../fixtures/azure/monitor-common-alert-metric-resolved.example.json',
);
const RULE =
  '/subscriptions/6f1c2e4a-3b5d-4c7e-9a8b-2d4f6e8a0c1b/resourceGroups/rg-citizen-portal/providers/microsoft.insights/webtests/portal-availability';

interface Step {
  name: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
}
interface AppStatus {
  name: string;
  activeSite: string;
  failover: { phase: string; reason: string | null; steps: Step[] } | null;
}

let dir: string;
let plan: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-azure-'));
  const text = await readFile('examples/plans/citizen-portal.yaml', 'utf8');
  const vm = text.indexOf('    - name: portal-web-vm');
  const validate = text.indexOf('  validate:');
  expect(vm).toBeGreaterThan(0);
  expect(validate).toBeGreaterThan(vm);
  plan = join(dir, 'citizen-portal.yaml');
  await writeFile(plan, text.slice(0, vm) + text.slice(validate));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = () => join(dir, 'state');

/** Runs a command that must print one JSON document and exit `code` (2: it ran and found a problem). */
async function json<T>(argv: string[], code = 0): Promise<T> {
  const run = await runCli(argv);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(code);
  return JSON.parse(run.stdout) as T;
}

/** Traffic Manager endpoint statuses in the simulated world the commands left behind. */
async function endpoints(): Promise<Record<string, string>> {
  const snapshot = JSON.parse(await readFile(join(state(), 'world.json'), 'utf8')) as {
    world: { azure: { trafficManagerEndpoints: { name: string; properties: { endpointStatus: string } }[] } };
  };
  return Object.fromEntries(
    snapshot.world.azure.trafficManagerEndpoints.map((e) => [e.name, e.properties.endpointStatus]),
  );
}

/** The Azure Monitor common alert sample, fired by the plan's trigger rule. */
async function firedAlert(): Promise<string> {
  const sample = JSON.parse(await readFile(ALERT_SAMPLE, 'utf8')) as {
    data: { essentials: Record<string, unknown> };
  };
  const { resolvedDateTime: _resolved, ...essentials } = sample.data.essentials;
  sample.data.essentials = {
    ...essentials,
    alertRule: 'portal-availability',
    alertRuleID: RULE,
    monitorCondition: 'Fired',
    firedDateTime: '2026-11-21T11:58:00Z',
  };
  const path = join(dir, 'alert.json');
  await writeFile(path, JSON.stringify(sample));
  return path;
}

function expectCompletedCrossRegionFailover(app: AppStatus | undefined): void {
  expect(app?.failover?.phase).toBe('completed');
  const step = (name: string) => app!.failover!.steps.find((s) => s.name === `restore:${name}`)!;
  expect(step('portal-blobs').status).toBe('succeeded');
  expect(step('portal-aks').status).toBe('succeeded');
  // portal-aks dependsOn portal-blobs: it starts only once the blobs are back.
  expect(Date.parse(step('portal-aks').startedAt!)).toBeGreaterThanOrEqual(
    Date.parse(step('portal-blobs').endedAt!),
  );
  expect(app?.activeSite).toBe('recovery');
}

describe('standby failover on Azure (Data Protection cross-region restore)', () => {
  it('restores both Backup vault resources in North Europe, in dependency order, then sends traffic there', async () => {
    const run = await json<{ status: { apps: AppStatus[] } }>([
      'failover',
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      state(),
      '--app',
      'citizen-portal',
      '--json',
    ]);

    expectCompletedCrossRegionFailover(run.status.apps.find((a) => a.name === 'citizen-portal'));
    expect(await endpoints()).toEqual({ 'portal-weu': 'Disabled', 'portal-neu': 'Enabled' });
    const status = await json<{ apps: AppStatus[] }>([
      'status',
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      state(),
      '--json',
    ]);
    expect(status.apps[0]).toMatchObject({ name: 'citizen-portal', activeSite: 'recovery' });
  });

  it('fails over on the plan trigger alert with one cross-region restore per resource', async () => {
    const result = await json<{
      outcomes: { effect: string; app: string | null }[];
      status: { apps: AppStatus[] };
      stats: { calls: Record<string, number> };
    }>([
      'replay',
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      state(),
      '--json',
      '--stats',
      await firedAlert(),
    ]);

    expect(result.outcomes).toMatchObject([{ effect: 'failover-started', app: 'citizen-portal' }]);
    expectCompletedCrossRegionFailover(result.status.apps[0]);
    expect(result.stats.calls['dataprotection:BackupInstances_TriggerCrossRegionRestore']).toBe(2);
    expect(result.stats.calls['dataprotection:BackupInstances_TriggerRestore']).toBeUndefined();
    expect(await endpoints()).toEqual({ 'portal-weu': 'Disabled', 'portal-neu': 'Enabled' });
  });

  it('fails the failover with the job error, leaving traffic on West Europe, when a cross-region restore fails', async () => {
    const world = join(dir, 'world.yaml');
    const text = await readFile(WORLD, 'utf8');
    const azureRestore = '  restore: { durationSeconds: 900, fail: [] }';
    expect(text).toContain(azureRestore);
    await writeFile(
      world,
      text.replace(
        azureRestore,
        '  restore: { durationSeconds: 900, fail: [stcitizenportal-stcitizenportal-0b8e4c2a-5f1d-4a7e-9c3b-7d2e6f1a8b40] }',
      ),
    );

    const run = await json<{ status: { apps: AppStatus[] } }>(
      ['failover', '--plan', plan, '--world', world, '--state', state(), '--app', 'citizen-portal', '--json'],
      2,
    );

    const failover = run.status.apps[0]!.failover!;
    expect(failover.phase).toBe('failed');
    expect(failover.reason).toMatch(/^restore of portal-blobs failed: .*UserErrorRestoreFailed/);
    expect(failover.steps.find((s) => s.name === 'restore:portal-aks')?.status).toBe('skipped');
    expect(await endpoints()).toEqual({ 'portal-weu': 'Enabled', 'portal-neu': 'Disabled' });
  });
});

describe('examples/events', () => {
  it('holds an Azure Monitor alert that the example plans match to citizen-portal', async () => {
    const state = await mkdtemp(join(tmpdir(), 'standby-example-'));
    try {
      const run = await runCli([
        'replay',
        ...EXAMPLES,
        '--state',
        state,
        '--json',
        'examples/events/citizen-portal-availability-alert.json',
      ]);
      expect(run.code).toBe(0);
      const [outcome] = (JSON.parse(run.stdout) as { outcomes: Record<string, unknown>[] }).outcomes;
      expect(outcome).toMatchObject({
        accepted: true,
        source: 'azure.monitor',
        kind: 'alarm',
        app: 'citizen-portal',
      });
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
