import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmfMetrics } from '#functions/adapters/emf-metrics.ts';
import { SnsNotifier } from '#functions/adapters/sns-notifier.ts';
import { FRESHNESS_ALERT_DETAIL_TYPE, FreshnessAlertPublisher } from '#functions/composition.ts';
import { type AuditRuntime, createAuditHandler } from '#functions/handlers/audit.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { FakeInventory } from '../../support/fake-ports.ts';
import { loadPlan } from '../../support/plans.ts';
import { capturingLogger, lambdaContext } from './support.ts';

const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:standby-alerts';
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const scheduled = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-11-21T12:00:00Z',
  region: 'eu-central-1',
  resources: ['arn:aws:events:eu-central-1:111122223333:rule/standby-audit'],
  detail: {},
};

function setup(ages: Record<string, number | 'missing' | 'error'>) {
  const clock = new ManualClock(new Date('2026-11-21T12:00:00Z'));
  const log = capturingLogger();
  const metricLines: string[] = [];
  const store = new InMemoryStateStore();
  const runtime: AuditRuntime = {
    ownPlans: [loadPlan()],
    inventory: new FakeInventory(clock, ages),
    clock,
    alerts: new FreshnessAlertPublisher({
      notifier: new SnsNotifier({ client: new SNSClient({ region: 'eu-central-1' }) }),
      events: new EventBridgeClient({ region: 'eu-central-1' }),
      topicArn: TOPIC,
      eventBusName: 'default',
    }),
    metrics: new EmfMetrics('eu-central-1', (line) => metricLines.push(line)),
    logger: log.logger,
    store,
  };
  return {
    log,
    store,
    metrics: () => metricLines.map((l) => JSON.parse(l) as Record<string, unknown>),
    invoke: () => createAuditHandler(async () => runtime)(scheduled, lambdaContext('standby-audit')),
  };
}

describe('audit handler', () => {
  it('puts the audit on the evidence chain of each application: a change, then nothing until it changes', async () => {
    const run = setup({ 'case-db': 3600 });
    await run.invoke();
    await run.invoke();
    const chain = (await readChain(run.store, 'case-management')).map((r) => r.value);
    expect(chain.map((r) => [r.kind, r.data['reason'], r.data['problems']])).toEqual([
      ['audit', 'change', ['case-db: breach']],
    ]);
  });

  beforeEach(() => {
    sns.reset();
    events.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  });

  it('publishes nothing when every resource is fresh', async () => {
    const result = await setup({}).invoke();
    expect(result).toMatchObject({ summary: { ok: 2, breach: 0 }, alertedApps: 0 });
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('publishes an SNS alert and a Standby Freshness Alert event when a resource breaches its RPO', async () => {
    const result = await setup({ 'case-db': 3600 }).invoke();
    expect(result).toMatchObject({ summary: { ok: 1, breach: 1 }, alertedApps: 1 });
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          Source: 'standby',
          DetailType: FRESHNESS_ALERT_DETAIL_TYPE,
        }),
      ],
    });
    const detail = JSON.parse(events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!);
    expect(detail).toMatchObject({
      app: 'case-management',
      freshness: [{ resource: 'case-db', status: 'breach' }],
    });
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Message: expect.stringContaining('- case-db: breach:'),
    });
  });

  it('throws when EventBridge refuses the alert, so the scheduled run is retried', async () => {
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const s = setup({ 'case-db': 'error' });
    await expect(s.invoke()).rejects.toThrow(/rejected 1 of 1 freshness alert\(s\): InternalFailure/);
    expect(s.log.lines()).toContainEqual(expect.objectContaining({ level: 50, function: 'standby-audit' }));
    expect(s.metrics()).toEqual([]);
  });

  it('emits AuditSucceeded and each resource’s age and RPO after a successful run', async () => {
    const s = setup({ 'case-db': 3600, 'case-api': 'missing' });
    await s.invoke();
    const [success, ...resources] = s.metrics();
    expect(success).toMatchObject({ Controller: 'eu-central-1', AuditSucceeded: 1 });
    expect(resources).toContainEqual(
      expect.objectContaining({ App: 'case-management', Resource: 'case-db', FreshnessAgeSeconds: 3600 }),
    );
    const missing = resources.find((m) => m['Resource'] === 'case-api');
    expect(missing).toMatchObject({ FreshnessRpoSeconds: expect.any(Number) });
    expect(missing).not.toHaveProperty('FreshnessAgeSeconds');
  });
});
