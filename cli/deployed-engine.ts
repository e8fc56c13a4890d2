/**
 * The engine of a deployed AWS controller, for `standby approve|reject|status --region …`: its state
 * table (DynamoDB), its approval key (Secrets Manager, AWSCURRENT and AWSPREVIOUS) and its topics, with
 * the caller's own AWS credentials. The CLI only decides and reads here: the deployed controller
 * carries the failover on (its advance function runs every minute), so two drivers never compete.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStateStore } from '#functions/adapters/dynamodb-state-store.ts';
import { secretsManagerWebhooks } from '#functions/adapters/secrets-manager-webhooks.ts';
import { SnsNotifier } from '#functions/adapters/sns-notifier.ts';
import { fetchApprovalKeys } from '#functions/composition.ts';
import { ChannelNotifier } from '#platform/channel-notifier.ts';
import { describeFsError } from '#platform/fs-errors.ts';
import { HttpProber } from '#platform/http-prober.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { CompositeRestoreService } from '#shared/application/composite-actions.ts';
import { createController } from '#shared/application/controller.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { createRuntime } from './composition.ts';
import type { DeployedFlags } from './deployed-engine-flags.ts';
import { type Engine, restoreServices, trafficSwitch } from './engine.ts';

/** Where a deployed controller keeps its state and key. */
export interface DeployedTarget {
  readonly region: string;
  readonly table: string;
  readonly approvalKeySecretArn: string;
  /** The approval endpoint, for the links of notices this command may send. */
  readonly approvalBaseUrl?: string;
}

/**
 * The deployed controller the flags name; flags win over the outputs file. Throws
 * {@link InvalidInputError} naming every missing piece and where it can come from.
 */
export async function resolveDeployedTarget(flags: DeployedFlags): Promise<DeployedTarget> {
  const outputs = flags.stackOutputs ? await stackOutputs(flags.stackOutputs, flags.stack) : {};
  const table = flags.table ?? outputs['StateTableName'];
  const key = flags.approvalKey ?? outputs['ApprovalKeySecretArn'];
  // A secret's ARN names its region (arn:aws:secretsmanager:<region>:…): the controller's region.
  const region = flags.region ?? (key?.startsWith('arn:') ? key.split(':')[3] : undefined);
  const missing = [
    ...(region ? [] : ['--region (or an approval key given by its ARN)']),
    ...(table ? [] : ['--table (or StateTableName in --stack-outputs)']),
    ...(key ? [] : ['--approval-key (or ApprovalKeySecretArn in --stack-outputs)']),
  ];
  if (missing.length > 0) throw new InvalidInputError(`a deployed controller needs ${missing.join(', ')}`);
  return {
    region: region!,
    table: table!,
    approvalKeySecretArn: key!,
    ...(outputs['ApprovalEndpointUrl'] ? { approvalBaseUrl: outputs['ApprovalEndpointUrl'] } : {}),
  };
}

async function stackOutputs(path: string, stack?: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new InvalidInputError(`--stack-outputs ${path} cannot be read (${describeFsError(error)})`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidInputError(
      `--stack-outputs ${path} is not JSON; give the file cdk deploy --outputs-file wrote`,
    );
  }
  const stacks =
    parsed && typeof parsed === 'object' ? (parsed as Record<string, Record<string, string>>) : {};
  const names = Object.keys(stacks);
  const name = stack ?? (names.length === 1 ? names[0] : undefined);
  if (!name || !stacks[name] || typeof stacks[name] !== 'object')
    throw new InvalidInputError(
      `--stack-outputs ${path} holds stacks ${names.join(', ') || '(none)'}; name one with --stack`,
    );
  return stacks[name];
}

/** Opens the deployed controller's state and key with the caller's AWS credentials. */
export async function openDeployedEngine(target: DeployedTarget): Promise<Engine> {
  const runtime = await createRuntime({});
  const { region } = target;
  const secrets = new SecretsManagerClient({ region });
  const base = target.approvalBaseUrl ? { approvalBaseUrl: target.approvalBaseUrl } : {};
  const traffic = trafficSwitch(undefined);
  const controller = createController({
    store: new DynamoDbStateStore({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ region })),
      tableName: target.table,
    }),
    inventory: runtime.inventory,
    restores: new CompositeRestoreService(restoreServices(undefined)),
    prober: new HttpProber(),
    traffic,
    notifier: new ChannelNotifier({
      sns: new SnsNotifier({ client: new SNSClient({ region }), ...base }),
      teams: new WebhookTeamsNotifier({ resolveWebhook: secretsManagerWebhooks(secrets), ...base }),
    }),
    clock: runtime.clock,
    approvalKey: () => fetchApprovalKeys(secrets, target.approvalKeySecretArn),
    newId: randomUUID,
    owner: `standby-cli@${hostname()}`,
  });
  return {
    ...runtime,
    controller,
    traffic,
    // The deployed controller carries failovers on; the CLI does not drive them from a laptop.
    runUntilIdle: async () => undefined,
    // Against the real clouds no simulated restore duration applies (the RTO estimate says unknown).
    restoreDefault: () => undefined,
    runFor: async () => {
      throw new InvalidInputError('time can only be moved in a simulation: add --world');
    },
    save: async () => undefined,
    deliveredTokens: () => [],
  };
}
