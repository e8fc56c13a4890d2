import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DBInstanceNotFoundFault, DeleteDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsRestoredResourceCleaner } from '#functions/adapters/aws-restored-resource-cleaner.ts';
import { loadPlan } from '../../support/plans.ts';

const rds = mockClient(RDSClient);
const dynamodb = mockClient(DynamoDBClient);
const resource = loadPlan().resources[0]!;
const regions: string[] = [];
const cleaner = new AwsRestoredResourceCleaner({
  rdsFor: (region) => {
    regions.push(region);
    return new RDSClient({ region });
  },
  dynamodbFor: (region) => new DynamoDBClient({ region }),
});

beforeEach(() => {
  rds.reset();
  dynamodb.reset();
  regions.length = 0;
});

describe('AwsRestoredResourceCleaner', () => {
  it('deletes a restored RDS instance in its region, without a final snapshot', async () => {
    rds.on(DeleteDBInstanceCommand).resolves({});
    expect(await cleaner.delete(resource, 'arn:aws:rds:eu-central-1:111122223333:db:case-db-drill')).toEqual({
      state: 'deleted',
      detail: 'rds:DeleteDBInstance case-db-drill',
    });
    expect(rds).toHaveReceivedCommandWith(DeleteDBInstanceCommand, {
      DBInstanceIdentifier: 'case-db-drill',
      SkipFinalSnapshot: true,
    });
    expect(regions).toEqual(['eu-central-1']);
  });

  it('deletes a restored DynamoDB table', async () => {
    dynamodb.on(DeleteTableCommand).resolves({});
    await cleaner.delete(resource, 'arn:aws:dynamodb:eu-central-1:111122223333:table/case-sessions-drill');
    expect(dynamodb).toHaveReceivedCommandWith(DeleteTableCommand, { TableName: 'case-sessions-drill' });
  });

  it.each([
    [
      'an RDS instance',
      () =>
        rds
          .on(DeleteDBInstanceCommand)
          .rejects(new DBInstanceNotFoundFault({ message: 'gone', $metadata: {} })),
      'arn:aws:rds:eu-central-1:111122223333:db:x',
    ],
    [
      'a DynamoDB table',
      () =>
        dynamodb
          .on(DeleteTableCommand)
          .rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} })),
      'arn:aws:dynamodb:eu-central-1:111122223333:table/x',
    ],
  ])('counts %s that is already gone as deleted', async (_what, setup, arn) => {
    setup();
    expect(await cleaner.delete(resource, arn)).toEqual({
      state: 'deleted',
      detail: `${arn} was already deleted`,
    });
  });

  it('refuses a resource type it cannot delete yet, naming the call it needs', async () => {
    await expect(
      cleaner.delete(resource, 'arn:aws:elasticfilesystem:eu-central-1:111122223333:file-system/fs-1'),
    ).rejects.toThrow(
      'needs elasticfilesystem:DeleteFileSystem (@aws-sdk/client-efs), not built in yet; delete it by hand',
    );
  });
});
