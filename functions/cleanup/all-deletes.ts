/**
 * Every delete Standby has, over one client factory per service: what the CLI's clean-up dispatches
 * to (`cli/adapters/restored-resource-cleaner.ts`). The Lambdas carry a group each (`groups.ts`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { FSxClient } from '@aws-sdk/client-fsx';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import { mergeDeletes } from './cleaner.ts';
import { dynamodbDeletes } from './dynamodb.ts';
import { ec2Deletes } from './ec2.ts';
import { efsDeletes } from './efs.ts';
import { eksDeletes } from './eks.ts';
import { fsxDeletes } from './fsx.ts';
import { rdsDeletes } from './rds.ts';
import { s3Deletes } from './s3.ts';
import type { ServiceDeletes } from './service-delete.ts';

/** The SDK clients of the deletes, one per region, built on first use. */
export interface AwsCleanupClients {
  readonly rds: (region: string) => RDSClient;
  readonly dynamodb: (region: string) => DynamoDBClient;
  readonly ec2: (region: string) => EC2Client;
  readonly efs: (region: string) => EFSClient;
  readonly s3: (region: string) => S3Client;
  readonly eks: (region: string) => EKSClient;
  readonly fsx: (region: string) => FSxClient;
}

/** Every delete Standby has, over `clients`. */
export function awsServiceDeletes(clients: AwsCleanupClients): ServiceDeletes {
  return mergeDeletes(
    rdsDeletes(clients.rds),
    dynamodbDeletes(clients.dynamodb),
    ec2Deletes(clients.ec2),
    efsDeletes(clients.efs),
    s3Deletes(clients.s3),
    eksDeletes(clients.eks),
    fsxDeletes(clients.fsx),
  );
}
