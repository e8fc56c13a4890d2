/**
 * `standby approve|reject|status` against a deployed AWS controller: its DynamoDB table (dynalite,
 * the real wire protocol) and its approval key in Secrets Manager (aws-sdk-client-mock), named by
 * flags or by the outputs file of `cdk deploy --outputs-file`.
 */

import { mkdtemp, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateTable, DynamoDbStateStore } from '#functions/adapters/dynamodb-state-store.ts';
import { createController } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { Phase } from '#shared/domain/failover.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import { alarm } from '../support/approval-links.ts';
import {
  FakeInventory,
  FakeProber,
  FakeRestores,
  FakeTraffic,
  RecordingNotifier,
} from '../support/fake-ports.ts';
import { awsPlanDoc, ids, loadPlan, planYaml, withPlan } from '../support/plans.ts';
import { runCli } from './run-cli.ts';

const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;
const KEY = 'k'.repeat(40);
const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key-AbCdEf';
const doc = withPlan(awsPlanDoc(), (d) => {
  d.spec.failover = { mode: 'approval', approval: { notify: [{ sns: ids.topic }], timeout: '2h' } };
});
const plan = loadPlan(doc);

let server: Server;
let client: DynamoDBClient;
let tables = 0;
let dir: string;
const saved = { ...process.env };
const secrets = mockClient(SecretsManagerClient);
const backup = mockClient(BackupClient);
const route53 = mockClient(Route53Client);

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  client = new DynamoDBClient({ region: 'eu-central-1', endpoint });
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN, VersionStage: 'AWSCURRENT' })
    .resolves({ SecretString: KEY });
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN, VersionStage: 'AWSPREVIOUS' })
    .rejects(Object.assign(new Error('no previous version'), { name: 'ResourceNotFoundException' }));
  backup.onAnyCommand().rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
  route53.onAnyCommand().rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  dir = await mkdtemp(join(tmpdir(), 'standby-deployed-'));
  await writeFile(join(dir, 'plan.yaml'), planYaml(doc));
}, 60_000);

afterAll(async () => {
  process.env = saved;
  secrets.restore();
  backup.restore();
  route53.restore();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * A deployed controller of its own (a fresh table, its `cdk deploy --outputs-file`), with a failover of
 * the plan waiting for approval, as the events function leaves it.
 */
async function waitingFailover() {
  tables += 1;
  const table = `standby-state-${tables}`;
  await createStateTable(client, table, { timeToLive: false });
  const store = new DynamoDbStateStore({ client: DynamoDBDocumentClient.from(client), tableName: table });
  const outputs = join(dir, `outputs-${tables}.json`);
  await writeFile(
    outputs,
    JSON.stringify({ [`Standby-${tables}`]: { StateTableName: table, ApprovalKeySecretArn: SECRET_ARN } }),
  );
  const clock = new ManualClock(new Date());
  const notifier = new RecordingNotifier();
  const controller = createController({
    store,
    inventory: new FakeInventory(clock),
    restores: new FakeRestores(clock),
    prober: new FakeProber(),
    traffic: new FakeTraffic(),
    notifier,
    clock,
    approvalKey: Buffer.from(KEY),
    newId: () => `f-${Math.random().toString(36).slice(2)}`,
    owner: 'lambda:test',
  });
  const started = await requestFailover(controller, plan, alarm);
  if (started.effect !== 'approval-requested')
    throw new Error(`expected an approval request: ${started.reason}`);
  const request = notifier.sent.find((n) => n.kind === 'approval-request')!;
  return {
    table,
    store,
    outputs,
    approveToken: request.approveToken!,
    rejectToken: request.rejectToken!,
    failoverId: started.failoverId!,
  };
}

const PLAN = () => ['--plan', join(dir, 'plan.yaml')];

describe('standby approve|reject|status against a deployed controller', () => {
  it('approve by flags: the decision lands in the deployed table once; the deployed controller carries on', async () => {
    const w = await waitingFailover();
    const run = await runCli([
      'approve',
      w.approveToken,
      ...PLAN(),
      '--table',
      w.table,
      '--approval-key',
      SECRET_ARN,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('approved by cli:');
    const { failover } = await readAppState(w.store, plan.name);
    expect(failover).toMatchObject({
      id: w.failoverId,
      phase: Phase.Restoring,
      decision: { decision: 'approve' },
    });
    expect(failover?.steps.every((s) => s.status === 'pending')).toBe(true); // no restore started from the laptop
    const again = await runCli([
      'approve',
      w.approveToken,
      ...PLAN(),
      '--table',
      w.table,
      '--approval-key',
      SECRET_ARN,
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already used');
    const status = await runCli(['status', ...PLAN(), '--stack-outputs', w.outputs, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { apps: { failover: { id: string; phase: string } }[] };
    expect(report.apps[0]!.failover).toMatchObject({ id: w.failoverId, phase: Phase.Restoring });
  }, 60_000);

  it('reject through the stack outputs file; an approve token used to reject is refused and changes nothing', async () => {
    const w = await waitingFailover();
    const outputs = ['--stack-outputs', w.outputs];
    const wrong = await runCli(['reject', w.approveToken, ...PLAN(), ...outputs]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('this is a approve token; use standby approve with it');
    expect((await readAppState(w.store, plan.name)).failover?.phase).toBe(Phase.AwaitingApproval);
    const run = await runCli(['reject', w.rejectToken, ...PLAN(), ...outputs]);
    expect(run.code).toBe(0);
    expect((await readAppState(w.store, plan.name)).failover).toMatchObject({
      phase: Phase.Aborted,
      decision: { decision: 'reject' },
    });
  }, 60_000);

  it.each([
    [
      ['--table', 'standby-state'],
      'a deployed controller needs --region (or an approval key given by its ARN), --approval-key',
    ],
    [
      ['--stack-outputs', '/nonexistent/outputs.json'],
      '--stack-outputs /nonexistent/outputs.json cannot be read',
    ],
    [
      ['--table', 'standby-state', '--approval-key', SECRET_ARN, '--world', 'examples/world.yaml'],
      '--world runs against a simulated cloud',
    ],
  ])('refuses %j, saying what is missing', async (flags, message) => {
    const run = await runCli(['status', ...PLAN(), ...flags]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
  });
});
