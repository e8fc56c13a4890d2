import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { createEventsHandler, type EventsRuntime } from '#azure/functions/events.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { ErrorCode, ProviderError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { fakeController } from '../../functions/handlers/support.ts';
import { azurePlanDoc, loadPlan, withPlan } from '../../support/plans.ts';
import { invocationContext } from './support.ts';

const fixture = (path: string): string => readFileSync(resolve(import.meta.dirname, path), 'utf8');
const fired = fixture('../../fixtures/events/monitor-common-alert-metric-fired-rule-id.json');
const resolvedSample = fixture('../../fixtures/azure/monitor-common-alert-metric-resolved.example.json');
const backupFailed = fixture('../../fixtures/events/monitor-common-alert-azure-backup-job-failed.json');
const RULE = JSON.parse(fired).data.essentials.alertRuleID as string;
const PROTECTED_ITEM = JSON.parse(backupFailed).data.alertContext.protectedItemId as string;

/** The fired alert's own Resolved notification: same alert id, resolved ten minutes later. */
function resolvedOf(firedText: string): string {
  const alert = JSON.parse(firedText);
  alert.data.essentials.monitorCondition = 'Resolved';
  alert.data.essentials.resolvedDateTime = '2026-11-21T11:55:00Z';
  return JSON.stringify(alert);
}

/** A store that counts its writes, so a test can say nothing was changed. */
function countingStore() {
  const store = new InMemoryStateStore();
  const writes = { count: 0 };
  const create = store.create.bind(store);
  const update = store.update.bind(store);
  store.create = (...args) => {
    writes.count += 1;
    return create(...args);
  };
  store.update = (...args) => {
    writes.count += 1;
    return update(...args);
  };
  return { store, writes };
}

function planFor(mode: 'automatic' | 'approval'): RecoveryPlan {
  return loadPlan(
    withPlan(azurePlanDoc(), (d) => {
      d.spec.triggers = [{ azureAlertRule: RULE }];
      if (mode === 'automatic') d.spec.failover = { mode };
    }),
  );
}

function setup(plan: RecoveryPlan, options: { region?: string; store?: InMemoryStateStore } = {}) {
  const fakes = fakeController(options.store ? { store: options.store } : {});
  const runtime: EventsRuntime = {
    plans: [plan],
    controller: fakes.controller,
    region: options.region ?? plan.recovery.region,
  };
  const handler = createEventsHandler(async () => runtime);
  const { context, lines } = invocationContext('events');
  const post = (body: string) =>
    handler(
      new HttpRequest({
        method: 'POST',
        url: 'https://standby-ne.azurewebsites.net/api/events',
        headers: { 'content-type': 'application/json' },
        body: { string: body },
      }),
      context,
    );
  return { ...fakes, lines, post };
}

describe('events function', () => {
  it('starts a failover from a fired common-schema alert and answers 200 with the outcome', async () => {
    const s = setup(planFor('automatic'));
    const response = await s.post(fired);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual({
      outcomes: [
        expect.objectContaining({
          accepted: true,
          kind: 'alarm',
          app: 'evidence-portal',
          effect: 'failover-started',
        }),
      ],
    });
    expect(s.restores.calls.map((c) => c.resource.name)).toEqual(['evidence-files']);
  });

  it('asks for approval on Teams when the plan wants a human to decide', async () => {
    const s = setup(planFor('approval'));
    const response = await s.post(fired);
    expect(response.jsonBody).toMatchObject({ outcomes: [{ effect: 'approval-requested' }] });
    expect(s.notifier.sent).toEqual([
      expect.objectContaining({ channel: 'teams', kind: 'approval-request' }),
    ]);
    expect(s.lines.map((l) => l.text).join('\n')).not.toContain(s.notifier.sent[0]!.approveToken!);
  });

  it('answers 200 with an ignored outcome for the recorded resolved alert, whose rule no plan names', async () => {
    const s = setup(planFor('automatic'));
    const response = await s.post(resolvedSample);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual({
      outcomes: [expect.objectContaining({ accepted: true, effect: 'ignored' })],
    });
  });

  it.each([
    ['a body that is not JSON', '{"schemaId": "azureMonitorCommonAlertSchema", '],
    [
      'a common-schema alert without essentials',
      JSON.stringify({ schemaId: 'azureMonitorCommonAlertSchema', data: {} }),
    ],
    ['an array', '[1, 2]'],
    [
      'a Fired alert without its time',
      JSON.stringify({
        ...JSON.parse(fired),
        data: { essentials: { ...JSON.parse(fired).data.essentials, firedDateTime: 'yesterday' } },
      }),
    ],
  ])('answers 400 with a rejected outcome for %s, and changes nothing', async (_name, body) => {
    const { store, writes } = countingStore();
    const s = setup(planFor('automatic'), { store });
    const response = await s.post(body);
    expect(response.status).toBe(400);
    expect(writes.count).toBe(0);
    expect(s.restores.calls).toEqual([]);
    expect((response.jsonBody as { outcomes: { reason: string }[] }).outcomes[0]!.reason).toMatch(/\w/);
    expect(response.jsonBody).toEqual({
      outcomes: [expect.objectContaining({ accepted: false, effect: 'rejected' })],
    });
    expect(s.lines).toContainEqual(expect.objectContaining({ level: 'warning' }));
  });

  it('leaves the failover of a plan recovering in another region to that region', async () => {
    const s = setup(planFor('automatic'), { region: 'westeurope' });
    const response = await s.post(fired);
    expect(response.jsonBody).toMatchObject({
      outcomes: [{ effect: 'ignored', reason: expect.stringContaining('westeurope') }],
    });
    expect(s.restores.calls).toEqual([]);
  });

  it('answers 503 with Retry-After on a store failure, which action groups retry', async () => {
    const store = new InMemoryStateStore();
    store.get = async () => {
      throw new ProviderError('cosmos:read', '429 Too Many Requests');
    };
    const s = setup(planFor('automatic'), { store });
    const response = await s.post(fired);
    expect(response).toMatchObject({ status: 503, headers: { 'retry-after': '30' } });
    expect(response.jsonBody).toEqual({ error: 'PROVIDER', invocationId: expect.any(String) });
    expect(s.lines).toContainEqual(
      expect.objectContaining({ level: 'error', text: expect.stringContaining('cosmos:read') }),
    );
  });

  it.each([
    ['UNAUTHORIZED', ErrorCode.Unauthorized],
    ['NOT_FOUND', ErrorCode.NotFound],
  ])(
    'answers 503 when the store says %s, so the alert is retried while access is applied',
    async (_name, code) => {
      const store = new InMemoryStateStore();
      store.get = async () => {
        throw new ProviderError('cosmos:read', 'denied', { code });
      };
      const s = setup(planFor('automatic'), { store });
      expect(await s.post(fired)).toMatchObject({ status: 503, jsonBody: { error: code } });
    },
  );

  it('answers 500 on an unexpected error, which a retry would not fix', async () => {
    const store = new InMemoryStateStore();
    store.get = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    const s = setup(planFor('automatic'), { store });
    expect(await s.post(fired)).toMatchObject({ status: 500, jsonBody: { error: 'UNEXPECTED' } });
  });

  it("does not start a failover for a Resolved alert of the plan's own rule", async () => {
    const s = setup(planFor('automatic'));
    const response = await s.post(resolvedOf(fired));
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual({
      outcomes: [
        expect.objectContaining({
          accepted: true,
          kind: 'alarm-cleared',
          app: 'evidence-portal',
          effect: 'ignored',
          reason: expect.stringContaining('nothing in flight'),
        }),
      ],
    });
    expect(s.restores.calls).toEqual([]);
    expect(s.notifier.sent).toEqual([]);
  });

  it('raises a freshness alert from the built-in Azure Backup job-failure alert for a protected item of a plan', async () => {
    const plan = loadPlan(
      withPlan(azurePlanDoc(), (d) => {
        d.spec.resources = [{ name: 'case-vm', azureRecoveryServices: { protectedItemId: PROTECTED_ITEM } }];
      }),
    );
    const s = setup(plan);
    // The vault holds a point inside the RPO, but the job the alert reports failed after it.
    s.deps.inventory.observe = async (requests) =>
      new Map(
        requests.map((r) => [
          r.key,
          {
            ok: true as const,
            points: [
              {
                id: 'rp-1',
                location: { kind: 'azure-region' as const, region: 'northeurope' },
                state: 'completed' as const,
                providerStatus: 'Completed',
                createdAt: new Date('2026-11-21T11:30:00Z'),
                isCopy: false,
              },
            ],
            jobs: [
              {
                id: '88df0be3-7c77-46c9-bfc2-fb92e3b1918a',
                kind: 'backup' as const,
                state: 'FAILED',
                at: new Date('2026-11-21T11:45:00Z'),
              },
            ],
          },
        ]),
      );
    const response = await s.post(backupFailed);
    expect(response.status).toBe(200);
    expect(response.jsonBody).toEqual({
      outcomes: [
        expect.objectContaining({
          accepted: true,
          kind: 'backup-job',
          app: 'evidence-portal',
          effect: 'freshness-alert',
          reason: expect.stringContaining('evidence-portal/case-vm'),
        }),
      ],
    });
    expect(s.restores.calls).toEqual([]);
  });
});
