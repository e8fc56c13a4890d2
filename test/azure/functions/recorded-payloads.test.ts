/**
 * Acceptance: every recorded Azure Monitor payload, posted to the real events function, reaches the
 * outcome `standby replay` reaches for it — same plans (the examples, citizen-portal without its web
 * VM, and an Azure plan naming the fixtures' rule and protected item), same simulated world, each
 * payload from a fresh state.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventsHandler } from '#azure/functions/events.ts';
import { openEngine } from '#cli/engine.ts';
import { loadPlans } from '#platform/plan-files.ts';
import type { EventOutcome } from '#shared/application/handle-event.ts';
import { normalizeEvents } from '#shared/domain/events.ts';
import { runCli } from '../../cli/run-cli.ts';
import { azurePlanDoc, planYaml, withPlan } from '../../support/plans.ts';
import { invocationContext } from './support.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURES = join(ROOT, 'test/fixtures');
const WORLD = join(ROOT, 'examples/world.yaml');

/** Every recorded Azure Monitor payload the repository holds. */
async function recordedPayloads(): Promise<string[]> {
  const inDir = async (dir: string, pattern: RegExp) =>
    (await readdir(dir)).filter((f) => pattern.test(f)).map((f) => join(dir, f));
  return [
    ...(await inDir(join(FIXTURES, 'events'), /^monitor-.*\.json$/)),
    ...(await inDir(join(FIXTURES, 'azure'), /^monitor-.*\.json$/)),
    ...(await inDir(join(ROOT, 'examples/events'), /^citizen-portal-.*\.json$/)),
  ];
}

let dir: string;
let planDir: string;
let payloads: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-azure-payloads-'));
  planDir = join(dir, 'plans');
  payloads = await recordedPayloads();
  const fired = JSON.parse(
    await readFile(join(FIXTURES, 'events/monitor-common-alert-metric-fired-rule-id.json'), 'utf8'),
  );
  const backupFailed = JSON.parse(
    await readFile(join(FIXTURES, 'events/monitor-common-alert-azure-backup-job-failed.json'), 'utf8'),
  );
  // An Azure plan recovering in North Europe like citizen-portal: its trigger is the fixture's rule and
  // its resource the protected item of the recorded Azure Backup job-failure alert.
  const casePlan = withPlan(azurePlanDoc('case-portal'), (d) => {
    d.spec.triggers = [{ azureAlertRule: fired.data.essentials.alertRuleID }];
    d.spec.failover = { mode: 'automatic' };
    d.spec.resources = [
      {
        name: 'case-vm',
        azureRecoveryServices: { protectedItemId: backupFailed.data.alertContext.protectedItemId },
      },
    ];
  });
  await mkdir(planDir);
  for (const f of await readdir(join(ROOT, 'examples/plans'))) {
    const text = await readFile(join(ROOT, 'examples/plans', f), 'utf8');
    // As in test/cli/azure-failover.test.ts: the web VM has no points in the recovery region, so
    // without it citizen-portal's gates pass and its alert starts a failover.
    const vm = text.indexOf('    - name: portal-web-vm');
    await writeFile(
      join(planDir, f),
      vm < 0 ? text : text.slice(0, vm) + text.slice(text.indexOf('  validate:')),
    );
  }
  await writeFile(join(planDir, 'case-portal.yaml'), planYaml(casePlan));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Outcome = Omit<EventOutcome, 'failoverId'>;
const comparable = ({ failoverId: _id, ...o }: EventOutcome & { event?: string }): Outcome => {
  const { event: _event, ...rest } = o as EventOutcome & { event?: string };
  return {
    ...rest,
    reason: rest.reason.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'),
  };
};

/** What `standby replay` says about one payload, from a fresh state. */
async function replayed(payload: string): Promise<Outcome[]> {
  const state = join(dir, `replay-${basename(payload)}`);
  const run = await runCli([
    'replay',
    '--plan',
    planDir,
    '--world',
    WORLD,
    '--state',
    state,
    '--json',
    payload,
  ]);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { outcomes: EventOutcome[] }).outcomes.map(comparable);
}

/** What the events function answers for one payload, over the same world, from a fresh state. */
async function posted(payload: string): Promise<{ status: number; outcomes: Outcome[] }> {
  const state = join(dir, `function-${basename(payload)}`);
  const engine = await openEngine({ stateDir: state, worldPath: WORLD });
  const plans = (await loadPlans([planDir])).map((l) => l.plan);
  const body = await readFile(payload, 'utf8');
  // As replay does: the simulated clock moves on to the time the payload happened.
  for (const n of normalizeEvents(JSON.parse(body)))
    if (n.accepted && n.occurredAt) engine.cloud?.clock.advanceTo(n.occurredAt);
  const handler = createEventsHandler(async () => ({
    plans,
    controller: engine.controller,
    region: 'northeurope',
  }));
  const response = await handler(
    new HttpRequest({
      method: 'POST',
      url: 'https://standby-ne.azurewebsites.net/api/events',
      headers: { 'content-type': 'application/json' },
      body: { string: body },
    }),
    invocationContext('events').context,
  );
  const outcomes = (response.jsonBody as { outcomes: EventOutcome[] }).outcomes;
  return { status: response.status ?? 200, outcomes: outcomes.map(comparable) };
}

describe('recorded Azure payloads through the events function', () => {
  it('covers every recorded Azure Monitor payload, at least five', () => {
    expect(payloads.length).toBeGreaterThanOrEqual(5);
  });

  it('reaches, for each payload, the outcome standby replay reaches', { timeout: 60_000 }, async () => {
    const seen: Record<string, string[]> = {};
    for (const payload of payloads) {
      const viaFunction = await posted(payload);
      expect(viaFunction.outcomes, basename(payload)).toEqual(await replayed(payload));
      expect(viaFunction.status).toBe(viaFunction.outcomes.every((o) => !o.accepted) ? 400 : 200);
      seen[basename(payload)] = viaFunction.outcomes.map((o) => `${o.effect}${o.app ? ` ${o.app}` : ''}`);
    }
    // The payloads cover the outcomes that matter on Azure.
    expect(seen).toMatchObject({
      'citizen-portal-availability-alert.json': ['failover-started citizen-portal'],
      'monitor-common-alert-metric-fired-rule-id.json': [expect.stringMatching(/ case-portal$/)],
      'monitor-common-alert-azure-backup-job-failed.json': ['freshness-alert case-portal'],
      'monitor-common-alert-metric-resolved.example.json': ['ignored'],
    });
  });
});
