/**
 * Every delete Standby has, over one client factory per service: what the CLI's clean-up dispatches
 * to (`cli/adapters/restored-resource-cleaner.ts`). The Lambdas carry a group each (`groups.ts`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RDSClient } from '@aws-sdk/client-rds';
import { mergeDeletes } from './cleaner.ts';
import { dynamodbDeletes } from './dynamodb.ts';
import { ec2Deletes } from './ec2.ts';
import { rdsDeletes } from './rds.ts';
import type { ServiceDeletes } from './service-delete.ts';

/** The SDK clients of the deletes, one per region, built on first use. */
export interface AwsCleanupClients {
  readonly rds: (region: string) => RDSClient;
  readonly dynamodb: (region: string) => DynamoDBClient;
  readonly ec2: (region: string) => EC2Client;
  // ── Merge point (issue 12, helper DA2): add `efs`, `s3`, `eks` and `fsx` client factories here. ──
}

/** Every delete Standby has, over `clients`. */
export function awsServiceDeletes(clients: AwsCleanupClients): ServiceDeletes {
  return mergeDeletes(
    rdsDeletes(clients.rds),
    dynamodbDeletes(clients.dynamodb),
    ec2Deletes(clients.ec2),
    // ── Merge point (issue 12, helper DA2): efsDeletes(clients.efs), s3Deletes(clients.s3),
    //    eksDeletes(clients.eks), fsxDeletes(clients.fsx). ──
  );
}
