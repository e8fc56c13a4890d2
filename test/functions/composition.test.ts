import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SnsNotifier } from '#functions/adapters/sns-notifier.ts';
import {
  createAwsRuntime,
  FreshnessAlertPublisher,
  fetchApprovalKey,
  fetchApprovalKeys,
  readAwsEnvironment,
} from '#functions/composition.ts';
import type { AuditReport } from '#shared/application/run-audit.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { planSetJson } from '../../cdk/stacks/standby-stack.ts';

const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key-AbCdEf';
const secrets = mockClient(SecretsManagerClient);

describe('readAwsEnvironment', () => {
  const complete = {
    STANDBY_PLANS_PATH: '/var/task/plans',
    STATE_TABLE: 'standby-state',
    AWS_REGION: 'eu-central-1',
    APPROVAL_KEY_SECRET_ARN: SECRET,
  };

  it('reads the settings the stack sets, with the default event bus', () => {
    expect(
      readAwsEnvironment({
        ...complete,
        ALERT_TOPIC_ARN: 'arn:aws:sns:eu-central-1:111122223333:alerts',
        TRUSTED_SNS_TOPICS: ' arn:aws:sns:eu-west-1:111122223333:a, ,arn:aws:sns:eu-west-1:111122223333:b',
      }),
    ).toEqual({
      plansPath: '/var/task/plans',
      stateTable: 'standby-state',
      region: 'eu-central-1',
      approvalKeySecretArn: SECRET,
      alertTopicArn: 'arn:aws:sns:eu-central-1:111122223333:alerts',
      eventBusName: 'default',
      trustedTopics: ['arn:aws:sns:eu-west-1:111122223333:a', 'arn:aws:sns:eu-west-1:111122223333:b'],
    });
  });

  it('reads the clean-up function the controller invokes for drill tear-downs', () => {
    expect(
      readAwsEnvironment({
        ...complete,
        CLEANUP_FUNCTIONS: 'rds=standby-cleanup, ec2=standby-cleanup-ec2,,bad',
      }).cleanupFunctions,
    ).toEqual(
      new Map([
        ['rds', 'standby-cleanup'],
        ['ec2', 'standby-cleanup-ec2'],
      ]),
    );
    expect(readAwsEnvironment(complete)).not.toHaveProperty('cleanupFunctions');
  });

  it('names every missing variable at once', () => {
    const { STATE_TABLE: _t, APPROVAL_KEY_SECRET_ARN: _k, ...partial } = complete;
    expect(() => readAwsEnvironment(partial)).toThrow(
      new InvalidInputError(
        'the Standby function is missing environment variable(s) STATE_TABLE, APPROVAL_KEY_SECRET_ARN; the CDK stack sets them',
      ),
    );
  });
});

describe('fetchApprovalKey', () => {
  beforeEach(() => secrets.reset());

  it('returns the secret string as the key', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: 'k'.repeat(64) });
    const key = await fetchApprovalKey(new SecretsManagerClient({ region: 'eu-central-1' }), SECRET);
    expect(key.equals(Buffer.from('k'.repeat(64)))).toBe(true);
  });

  it('refuses a key shorter than 32 bytes, without printing it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short-secret' });
    const error = await fetchApprovalKey(new SecretsManagerClient({ region: 'eu-central-1' }), SECRET).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('holds 12 bytes; at least 32 are required');
    expect(error.message).not.toContain('short-secret');
  });
});

describe('fetchApprovalKeys', () => {
  beforeEach(() => secrets.reset());
  const client = () => new SecretsManagerClient({ region: 'eu-central-1' });

  it('signs with AWSCURRENT and still verifies with AWSPREVIOUS after a rotation', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'n'.repeat(32) });
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: 'o'.repeat(32) });
    const ring = await fetchApprovalKeys(client(), SECRET);
    expect(ring.current.key.toString()).toBe('n'.repeat(32));
    expect(ring.previous?.key.toString()).toBe('o'.repeat(32));
    expect(ring.current.kid).not.toBe(ring.previous?.kid);
  });

  it('has only the current key when the secret was never rotated', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' })
      .resolves({ SecretString: 'n'.repeat(32) });
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPREVIOUS' })
      .rejects(Object.assign(new Error('no such version'), { name: 'ResourceNotFoundException' }));
    expect((await fetchApprovalKeys(client(), SECRET)).previous).toBeUndefined();
  });
});

describe('FreshnessAlertPublisher', () => {
  const events = mockClient(EventBridgeClient);
  const sns = mockClient(SNSClient);
  const TOPIC = 'arn:aws:sns:eu-central-1:111122223333:standby-alerts';
  beforeEach(() => {
    events.reset();
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  /** An audit in which each of `count` applications has one resource in breach. */
  const breachedApps = (count: number): AuditReport => ({
    generatedAt: '2026-11-21T12:00:00.000Z',
    apps: Array.from({ length: count }, (_, i) => ({
      name: `app-${i}`,
      freshness: [
        {
          resource: 'db',
          status: 'breach',
          ageSeconds: 7200,
          rpoSeconds: 3600,
          recoveryPoint: null,
          lastJob: null,
          reason: 'the newest recovery point is 2 h old; the RPO is 1 h',
          alert: true,
        },
      ],
    })),
    summary: { ok: 0, warning: 0, breach: count, missing: 0, unknown: 0 },
  });
  const publisher = () =>
    new FreshnessAlertPublisher({
      notifier: new SnsNotifier({ client: new SNSClient({ region: 'eu-central-1' }) }),
      events: new EventBridgeClient({ region: 'eu-central-1' }),
      topicArn: TOPIC,
      eventBusName: 'default',
    });

  it('sends at most 10 events per PutEvents request, the API limit, and one SNS message per app', async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })),
    }));
    expect(await publisher().publish(breachedApps(23))).toEqual({ apps: 23, snsDelivered: true });
    const batches = events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map((e) => JSON.parse(e.Detail!).app)).toEqual(
      Array.from({ length: 23 }, (_, i) => `app-${i}`),
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 23);
  });

  it('throws when a later batch has rejected entries, counting them against every alert', async () => {
    events
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [] })
      .resolves({ FailedEntryCount: 2, Entries: [{ EventId: 'e-1' }, { ErrorCode: 'ThrottlingException' }] });
    await expect(publisher().publish(breachedApps(12))).rejects.toThrow(
      'events:PutEvents rejected 2 of 12 freshness alert(s): ThrottlingException',
    );
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

/** The example plans as the JSON plan set the CDK bundles (foundation.ts reads that, not YAML). */
function examplePlanSet(): string {
  const root = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'standby-composition-'));
  const file = join(dir, 'plans.json');
  writeFileSync(
    file,
    planSetJson(
      ['case-management', 'payments', 'citizen-portal'].map((p) => join(root, `examples/plans/${p}.yaml`)),
    ),
  );
  return file;
}

describe('createAwsRuntime: notifications by channel', () => {
  const sns = mockClient(SNSClient);
  const WEBHOOK =
    'https://prod-00.westeurope.logic.azure.invalid/workflows/standby-test/triggers/manual/paths/invoke';
  const BASE = 'https://abc123.execute-api.eu-central-1.amazonaws.com';

  it('sends Teams targets as Adaptive Cards with approval buttons, the webhook read from Secrets Manager; SNS targets with links', async () => {
    secrets.reset();
    sns.reset();
    secrets
      .on(GetSecretValueCommand, { SecretId: 'standby/teams/payments' })
      .resolves({ SecretString: WEBHOOK });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const posts: { url: string; body: string }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      posts.push({ url: String(url), body: String(init.body) });
      return new Response(null, { status: 202 });
    });
    try {
      const runtime = await createAwsRuntime({
        plansPath: examplePlanSet(),
        stateTable: 'standby-state',
        region: 'eu-central-1',
        approvalKeySecretArn: SECRET,
        eventBusName: 'default',
        trustedTopics: [],
        approvalBaseUrl: BASE,
      });
      const request = {
        app: 'payments',
        kind: 'approval-request',
        at: '2026-11-21T12:00:00Z',
        failoverId: 'f-1',
        approveToken: 'sb2.approve.sig',
        rejectToken: 'sb2.reject.sig',
        text: 'Fail over payments?',
      } as const;
      const teams = await runtime.controller.notifier.send({
        ...request,
        channel: 'teams',
        target: 'secretsmanager:standby/teams/payments',
      });
      expect(teams).toMatchObject({ delivered: true });
      expect(posts).toHaveLength(1);
      expect(posts[0]!.url).toBe(WEBHOOK);
      expect(posts[0]!.body).toContain(`"url":"${BASE}/approve?t=sb2.approve.sig"`);
      const email = await runtime.controller.notifier.send({
        ...request,
        channel: 'sns',
        target: 'arn:aws:sns:eu-central-1:444455556666:dr-approvals',
      });
      expect(email).toMatchObject({ delivered: true });
      expect(sns).toHaveReceivedCommandWith(PublishCommand, {
        Message: expect.stringContaining(`${BASE}/reject?t=sb2.reject.sig`),
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
