/**
 * Lambda, invoked by the controller (never by an event): deletes what drills restored in RDS
 * (instances, clusters), DynamoDB (tables), EFS, S3, EKS and FSx. The handler is `cleanup-handler.ts`; which services
 * each clean-up function carries is `functions/cleanup/groups.ts`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EFSClient } from '@aws-sdk/client-efs';
import { EKSClient } from '@aws-sdk/client-eks';
import { FSxClient } from '@aws-sdk/client-fsx';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { mergeDeletes } from '../cleanup/cleaner.ts';
import { dynamodbDeletes } from '../cleanup/dynamodb.ts';
import { efsDeletes } from '../cleanup/efs.ts';
import { eksDeletes } from '../cleanup/eks.ts';
import { fsxDeletes } from '../cleanup/fsx.ts';
import { rdsDeletes } from '../cleanup/rds.ts';
import { s3Deletes } from '../cleanup/s3.ts';
import { cleanupRuntimeOf, perRegion } from '../cleanup-composition.ts';
import { createCleanupHandler } from './cleanup-handler.ts';

/** The Lambda entry point (`cleanup.handler`). */
export const handler = createCleanupHandler(
  cleanupRuntimeOf(() =>
    mergeDeletes(
      rdsDeletes(perRegion((region) => new RDSClient({ region }))),
      dynamodbDeletes(perRegion((region) => new DynamoDBClient({ region }))),
      efsDeletes(perRegion((region) => new EFSClient({ region }))),
      s3Deletes(perRegion((region) => new S3Client({ region }))),
      eksDeletes(perRegion((region) => new EKSClient({ region }))),
      fsxDeletes(perRegion((region) => new FSxClient({ region }))),
    ),
  ),
);
