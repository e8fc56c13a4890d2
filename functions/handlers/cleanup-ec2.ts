/**
 * Lambda, invoked by the controller (never by an event): deletes what drills restored in EC2
 * (instances, EBS volumes). Its own function because the EC2 client fills most of a bundle
 * (`functions/cleanup/groups.ts`); the handler is `cleanup-handler.ts`.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { ec2Deletes } from '../cleanup/ec2.ts';
import { cleanupRuntimeOf, perRegion } from '../cleanup-composition.ts';
import { createCleanupHandler } from './cleanup-handler.ts';

/** The Lambda entry point (`cleanup-ec2.handler`). */
export const handler = createCleanupHandler(
  cleanupRuntimeOf(() => ec2Deletes(perRegion((region) => new EC2Client({ region })))),
);
