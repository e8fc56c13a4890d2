/**
 * Deletes the DynamoDB table a drill's restore created (`table/`; the {@link ServiceDelete} contract,
 * `service-delete.ts`). Each call:
 * 1. `DescribeTable`: `ResourceNotFoundException` → deleted; `DELETING` → deleting;
 * 2. replicas in other regions → refused: a restore creates a single-region table, and `DeleteTable`
 *    on a global table's replica would touch what the drill did not create;
 * 3. deletion protection on (`DeletionProtectionEnabled`) → `UpdateTable` it off → deleting;
 * 4. `DeleteTable` → deleting until the describe says not found; `ResourceInUseException` (the table
 *    is being created or updated) → deleting, asked again later.
 */
import {
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';
import { attempt, deleted, deleting, idOf, refusal } from './outcomes.ts';
import type { ServiceDeletes } from './service-delete.ts';

const GONE = 'ResourceNotFoundException';
const BUSY = 'ResourceInUseException';

/** The DynamoDB delete: tables (`table/`), with a client per region. */
export function dynamodbDeletes(clientFor: (region: string) => DynamoDBClient): ServiceDeletes {
  return {
    dynamodb: { 'table/': (arn) => deleteTable(clientFor(arn.region), idOf(arn, 'table/'), arn.region) },
  };
}

async function deleteTable(client: DynamoDBClient, name: string, region: string): Promise<DeleteOutcome> {
  const what = `table ${name}`;
  const found = await attempt(
    'dynamodb:DescribeTable',
    what,
    () => client.send(new DescribeTableCommand({ TableName: name })),
    [GONE],
  );
  const table = 'ok' in found ? found.ok.Table : undefined;
  if (!table) return deleted(`${what} is gone (dynamodb:DescribeTable: ${GONE})`);
  if (table.TableStatus === 'DELETING') return deleting(`${what} is DELETING`);
  const replicas = (table.Replicas ?? []).flatMap((r) =>
    r.RegionName && r.RegionName !== region ? [r.RegionName] : [],
  );
  if (replicas.length > 0)
    throw refusal(
      'dynamodb:DeleteTable',
      what,
      `it has replicas in ${replicas.join(', ')}, and a restore creates a single-region table`,
    );
  if (table.DeletionProtectionEnabled) {
    const off = await attempt(
      'dynamodb:UpdateTable',
      what,
      () => client.send(new UpdateTableCommand({ TableName: name, DeletionProtectionEnabled: false })),
      [BUSY],
    );
    return deleting(
      'ok' in off
        ? `dynamodb:UpdateTable ${name}: deletion protection turned off; deleted next`
        : `${what} is ${table.TableStatus ?? 'busy'}; its deletion protection is turned off once it is not (${off.message})`,
    );
  }
  const done = await attempt(
    'dynamodb:DeleteTable',
    what,
    () => client.send(new DeleteTableCommand({ TableName: name })),
    [GONE, BUSY],
  );
  if ('ok' in done) return deleting(`dynamodb:DeleteTable ${name}: accepted; waiting until it is gone`);
  if (done.failed === GONE) return deleted(`${what} is gone (dynamodb:DeleteTable: ${GONE})`);
  return deleting(`${what} is ${table.TableStatus ?? 'busy'} and cannot be deleted yet (${done.message})`);
}
