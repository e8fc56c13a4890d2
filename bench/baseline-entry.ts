/**
 * The cold-start baseline of bench/cold-start.ts: one SDK client and nothing else, the least any
 * Standby Lambda bundle carries.
 */
import { BackupClient } from '@aws-sdk/client-backup';

export const client = new BackupClient({});
