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
const RULE = JSON.parse(fired).data.essentials.alertRuleID as string;

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
  ])('answers 400 with a rejected outcome for %s', async (_name, body) => {
    const s = setup(planFor('automatic'));
    const response = await s.post(body);
    expect(response.status).toBe(400);
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
});
