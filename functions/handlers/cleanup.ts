/**
 * Lambda, invoked by the controller (never by an event): deletes what drills restored in RDS
 * (instances, clusters) and DynamoDB (tables). The handler is `cleanup-handler.ts`; which services
 * each clean-up function carries is `functions/cleanup/groups.ts`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RDSClient } from '@aws-sdk/client-rds';
import { mergeDeletes } from '../cleanup/cleaner.ts';
import { dynamodbDeletes } from '../cleanup/dynamodb.ts';
import { rdsDeletes } from '../cleanup/rds.ts';
import { cleanupRuntimeOf, perRegion } from '../cleanup-composition.ts';
import { createCleanupHandler } from './cleanup-handler.ts';

/** The Lambda entry point (`cleanup.handler`). */
export const handler = createCleanupHandler(
  cleanupRuntimeOf(() =>
    mergeDeletes(
      rdsDeletes(perRegion((region) => new RDSClient({ region }))),
      dynamodbDeletes(perRegion((region) => new DynamoDBClient({ region }))),
    ),
  ),
);
