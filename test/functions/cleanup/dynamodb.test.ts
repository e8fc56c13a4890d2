import {
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  LimitExceededException,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  type TableStatus,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamodbDeletes } from '#functions/cleanup/dynamodb.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import { loadPlan } from '../../support/plans.ts';

const dynamodb = mockClient(DynamoDBClient);
const deletes = dynamodbDeletes((region) => new DynamoDBClient({ region }));
const resource = loadPlan().resources[0]!;
const TABLE = 'arn:aws:dynamodb:eu-central-1:111122223333:table/case-sessions-drill';
const run = () => deletes['dynamodb']!['table/']!(parseArn(TABLE)!, resource);
const meta = { $metadata: {} };
const table = (status: TableStatus, more: Partial<TableDescription> = {}) => ({
  Table: { TableName: 'case-sessions-drill', TableStatus: status, ...more },
});

beforeEach(() => dynamodb.reset());

describe('dynamodbDeletes table/', () => {
  it.each([
    {
      case: 'first call: deletes the table',
      setup: () => {
        dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE', { DeletionProtectionEnabled: false }));
        dynamodb.on(DeleteTableCommand).resolves({ TableDescription: { TableStatus: 'DELETING' } });
      },
      state: 'deleting',
      detail: 'dynamodb:DeleteTable case-sessions-drill: accepted; waiting until it is gone',
    },
    {
      case: 'in progress: DELETING, nothing called again',
      setup: () => dynamodb.on(DescribeTableCommand).resolves(table('DELETING')),
      state: 'deleting',
      detail: 'table case-sessions-drill is DELETING',
    },
    {
      case: 'busy (being updated): waits',
      setup: () => {
        dynamodb.on(DescribeTableCommand).resolves(table('UPDATING'));
        dynamodb
          .on(DeleteTableCommand)
          .rejects(new ResourceInUseException({ message: 'Table is being updated', ...meta }));
      },
      state: 'deleting',
      detail: 'table case-sessions-drill is UPDATING and cannot be deleted yet (Table is being updated)',
    },
    {
      case: 'gone',
      setup: () =>
        dynamodb
          .on(DescribeTableCommand)
          .rejects(new ResourceNotFoundException({ message: 'Requested resource not found', ...meta })),
      state: 'deleted',
      detail: 'table case-sessions-drill is gone (dynamodb:DescribeTable: ResourceNotFoundException)',
    },
    {
      case: 'already gone between the describe and the delete',
      setup: () => {
        dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE'));
        dynamodb.on(DeleteTableCommand).rejects(new ResourceNotFoundException({ message: 'gone', ...meta }));
      },
      state: 'deleted',
      detail: 'table case-sessions-drill is gone (dynamodb:DeleteTable: ResourceNotFoundException)',
    },
    {
      case: 'deletion protection: turned off, deleted at the next call',
      setup: () => {
        dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE', { DeletionProtectionEnabled: true }));
        dynamodb.on(UpdateTableCommand).resolves({});
      },
      state: 'deleting',
      detail: 'dynamodb:UpdateTable case-sessions-drill: deletion protection turned off; deleted next',
    },
    {
      case: 'deletion protection on a table still being created: waits',
      setup: () => {
        dynamodb.on(DescribeTableCommand).resolves(table('CREATING', { DeletionProtectionEnabled: true }));
        dynamodb.on(UpdateTableCommand).rejects(new ResourceInUseException({ message: 'in use', ...meta }));
      },
      state: 'deleting',
      detail:
        'table case-sessions-drill is CREATING; its deletion protection is turned off once it is not (in use)',
    },
    {
      case: 'a replica in its own region only is no global table',
      setup: () => {
        dynamodb
          .on(DescribeTableCommand)
          .resolves(table('ACTIVE', { Replicas: [{ RegionName: 'eu-central-1' }] }));
        dynamodb.on(DeleteTableCommand).resolves({});
      },
      state: 'deleting',
      detail: 'dynamodb:DeleteTable case-sessions-drill: accepted; waiting until it is gone',
    },
  ])('$case', async ({ setup, state, detail }) => {
    setup();
    expect(await run()).toEqual({ state, detail });
  });

  it('sends the official parameters', async () => {
    dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE', { DeletionProtectionEnabled: true }));
    await run();
    expect(dynamodb).toHaveReceivedCommandWith(UpdateTableCommand, {
      TableName: 'case-sessions-drill',
      DeletionProtectionEnabled: false,
    });
    expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
    dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE'));
    await run();
    expect(dynamodb).toHaveReceivedCommandWith(DeleteTableCommand, { TableName: 'case-sessions-drill' });
  });

  it('refuses a table with replicas in other regions, deleting nothing', async () => {
    dynamodb
      .on(DescribeTableCommand)
      .resolves(table('ACTIVE', { Replicas: [{ RegionName: 'eu-central-1' }, { RegionName: 'eu-west-1' }] }));
    await expect(run()).rejects.toThrow(
      'dynamodb:DeleteTable: table case-sessions-drill: it has replicas in eu-west-1, and a restore creates a single-region table; not deleting it',
    );
    expect(dynamodb).not.toHaveReceivedCommand(DeleteTableCommand);
  });

  it('throws another failure as a ProviderError naming the call', async () => {
    dynamodb.on(DescribeTableCommand).resolves(table('ACTIVE'));
    dynamodb.on(DeleteTableCommand).rejects(new LimitExceededException({ message: 'too many', ...meta }));
    await expect(run()).rejects.toThrow(
      'dynamodb:DeleteTable: delete of table case-sessions-drill: LimitExceededException: too many',
    );
  });
});
