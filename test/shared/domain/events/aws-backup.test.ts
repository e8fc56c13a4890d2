import { describe, expect, it } from 'vitest';
import { normalizeEvent, normalizeEvents } from '#shared/domain/events.ts';
import { awsBackupCases } from './cases.ts';
import { documented, expectNormalized, recorded } from './fixtures.ts';

describe('AWS Backup decoder', () => {
  it.each(awsBackupCases.recorded)('normalises the recorded fixture %s', (file, expected) => {
    expectNormalized(normalizeEvents(recorded(file)), expected);
  });

  it.each(awsBackupCases.documented)('normalises the documented variant %s', (file, expected) => {
    expectNormalized(normalizeEvents(documented(file)), expected);
  });

  it.each<[string, unknown, string]>([
    [
      'a backup job without backupJobId',
      { ...(recorded('aws/backup-job-state-change-failed.json') as object), detail: { state: 'FAILED' } },
      'detail.backupJobId',
    ],
    [
      'a restore job with status of the wrong type',
      {
        ...(recorded('aws/restore-job-state-change-failed.json') as object),
        detail: { restoreJobId: 'x', status: 7 },
      },
      'detail.status',
    ],
  ])('rejects %s, saying what is wrong', (_what, input, inReason) => {
    const result = normalizeEvent(input);
    expect(result.accepted).toBe(false);
    expect(result).toHaveProperty('reason', expect.stringContaining(inReason));
  });
});
