/**
 * AWS Backup events, each result stated in full: backup, copy and restore jobs with every optional
 * field and with none, recovery point and vault changes, the states in any case, and the detail-types
 * read by exact name or by prefix.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '#shared/domain/events.ts';

const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:DR-Vault';
const POINT = 'arn:aws:backup:eu-central-1:111122223333:recovery-point:Rp-1';
const DB = 'arn:aws:rds:eu-central-1:111122223333:db:Case-DB';

function event(detailType: string, detail: unknown, more: Record<string, unknown> = {}): unknown {
  return {
    version: '0',
    id: 'evt-1',
    'detail-type': detailType,
    source: 'aws.backup',
    account: '111122223333',
    time: '2026-11-21T09:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail,
    ...more,
  };
}
const envelope = {
  accepted: true,
  source: 'aws.backup',
  via: 'eventbridge',
  occurredAt: new Date('2026-11-21T09:00:00Z'),
  eventId: 'evt-1',
  region: 'eu-central-1',
  account: '111122223333',
};

describe('backup jobs', () => {
  it('reads every field of a backup job, the point from the resources', () => {
    expect(
      normalizeEvent(
        event(
          'Backup Job State Change',
          {
            backupJobId: 'job-1',
            state: 'failed',
            resourceArn: DB,
            resourceType: 'RDS',
            backupVaultArn: VAULT,
            creationDate: '2026-11-21T08:00:00Z',
            completionDate: '2026-11-21T08:30:00.5Z',
            statusMessage: 'Access denied',
          },
          { resources: [DB, POINT] },
        ),
      ),
    ).toEqual({
      ...envelope,
      kind: 'backup-job',
      dedupKey: 'backup-job:job-1:FAILED',
      job: {
        provider: 'aws-backup',
        jobId: 'job-1',
        state: 'FAILED',
        providerState: 'failed',
        resourceArn: DB,
        resourceType: 'RDS',
        vaultArn: VAULT,
        recoveryPointArn: POINT,
        statusMessage: 'Access denied',
        createdAt: new Date('2026-11-21T08:00:00Z'),
        completedAt: new Date('2026-11-21T08:30:00.500Z'),
      },
    });
  });

  it('keeps a state it does not know, raw, in the dedupKey and providerState', () => {
    expect(
      normalizeEvent(
        event('Backup Job State Change', { backupJobId: 'job-1', state: 'Thawing', creationDate: 'soon' }),
      ),
    ).toEqual({
      ...envelope,
      kind: 'backup-job',
      dedupKey: 'backup-job:job-1:Thawing',
      job: { provider: 'aws-backup', jobId: 'job-1', state: 'UNKNOWN', providerState: 'Thawing' },
    });
  });

  it.each([
    'CREATED',
    'PENDING',
    'RUNNING',
    'ABORTING',
    'ABORTED',
    'COMPLETED',
    'FAILED',
    'EXPIRED',
    'PARTIAL',
  ])('knows the state %s', (state) => {
    const result = normalizeEvent(
      event('Backup Job State Change', { backupJobId: 'j', state: state.toLowerCase() }),
    );
    expect(result).toMatchObject({ job: { state }, dedupKey: `backup-job:j:${state}` });
  });
});

describe('copy jobs', () => {
  it('reads every field of a copy job', () => {
    expect(
      normalizeEvent(
        event('Copy Job State Change', {
          copyJobId: 'copy-1',
          state: 'Completed',
          resourceArn: DB,
          resourceType: 'RDS',
          sourceBackupVaultArn: VAULT,
          destinationBackupVaultArn: `${VAULT}-copy`,
          sourceRecoveryPointArn: POINT,
          destinationRecoveryPointArn: `${POINT}-copy`,
          creationDate: '2026-11-21T08:00:00Z',
          completionDate: '2026-11-21T08:30:00Z',
          statusMessage: 'done',
        }),
      ),
    ).toEqual({
      ...envelope,
      kind: 'copy-job',
      dedupKey: 'copy-job:copy-1:COMPLETED',
      copy: {
        copyJobId: 'copy-1',
        state: 'COMPLETED',
        providerState: 'Completed',
        resourceArn: DB,
        resourceType: 'RDS',
        sourceVaultArn: VAULT,
        destinationVaultArn: `${VAULT}-copy`,
        sourceRecoveryPointArn: POINT,
        destinationRecoveryPointArn: `${POINT}-copy`,
        statusMessage: 'done',
        createdAt: new Date('2026-11-21T08:00:00Z'),
        completedAt: new Date('2026-11-21T08:30:00Z'),
      },
    });
  });

  it('takes the source point from the resources when the detail has none', () => {
    expect(
      normalizeEvent(
        event('Copy Job State Change', { copyJobId: 'copy-1', state: 'RUNNING' }, { resources: [POINT] }),
      ),
    ).toEqual({
      ...envelope,
      kind: 'copy-job',
      dedupKey: 'copy-job:copy-1:RUNNING',
      copy: {
        copyJobId: 'copy-1',
        state: 'RUNNING',
        providerState: 'RUNNING',
        sourceRecoveryPointArn: POINT,
      },
    });
  });
});

describe('restore jobs', () => {
  it('reads every field of a restore job', () => {
    expect(
      normalizeEvent(
        event('Restore Job State Change', {
          restoreJobId: 'r-1',
          status: 'Completed',
          recoveryPointArn: POINT,
          backupVaultArn: VAULT,
          sourceResourceArn: DB,
          createdResourceArn: `${DB}-dr`,
          resourceType: 'RDS',
          creationDate: '2026-11-21T08:00:00Z',
          completionDate: '2026-11-21T08:30:00Z',
          statusMessage: 'ok',
        }),
      ),
    ).toEqual({
      ...envelope,
      kind: 'restore-job',
      dedupKey: 'restore-job:r-1:COMPLETED',
      restore: {
        restoreJobId: 'r-1',
        state: 'COMPLETED',
        providerState: 'Completed',
        recoveryPointArn: POINT,
        vaultArn: VAULT,
        sourceResourceArn: DB,
        createdResourceArn: `${DB}-dr`,
        resourceType: 'RDS',
        statusMessage: 'ok',
        createdAt: new Date('2026-11-21T08:00:00Z'),
        completedAt: new Date('2026-11-21T08:30:00Z'),
      },
    });
  });

  it('reads a restore job with only its id and status', () => {
    expect(
      normalizeEvent(event('Restore Job State Change', { restoreJobId: 'r-1', status: 'PENDING' })),
    ).toEqual({
      ...envelope,
      kind: 'restore-job',
      dedupKey: 'restore-job:r-1:PENDING',
      restore: { restoreJobId: 'r-1', state: 'PENDING', providerState: 'PENDING' },
    });
  });

  it.each([
    ['Backup Job State Change', { state: 'FAILED' }, 'detail.backupJobId: missing (expected a string)'],
    [
      'Backup Job State Change',
      { backupJobId: 'j', state: '' },
      'detail.state: empty, expected a non-empty string',
    ],
    ['Copy Job State Change', { state: 'FAILED' }, 'detail.copyJobId: missing (expected a string)'],
    ['Copy Job State Change', { copyJobId: 'c', state: '' }, 'detail.state: empty'],
    ['Restore Job State Change', { status: 'FAILED' }, 'detail.restoreJobId: missing (expected a string)'],
    ['Restore Job State Change', { restoreJobId: 'r', status: '' }, 'detail.status: empty'],
    ['Recovery Point State Change', { status: 7 }, 'detail.status: expected a string (received 7)'],
    ['Backup Vault State Change', { state: 7 }, 'detail.state: expected a string (received 7)'],
  ])('rejects a %s with %j, naming the field', (type, detail, reason) => {
    expect(normalizeEvent(event(type, detail))).toEqual({
      accepted: false,
      source: 'aws.backup',
      reason: expect.stringContaining(`${type}: ${reason}`),
    });
  });
});

describe('recovery points and vaults', () => {
  it.each(['Recovery Point State Change', 'Recovery Point Change'])('reads every field of a %s', (type) => {
    expect(
      normalizeEvent(
        event(type, {
          recoveryPointArn: POINT,
          status: 'expired',
          state: 'ignored',
          backupVaultArn: VAULT,
          backupVaultName: 'DR-Vault',
          resourceArn: DB,
          resourceType: 'RDS',
          extra: 1,
        }),
      ),
    ).toEqual({
      ...envelope,
      kind: 'recovery-point',
      dedupKey: 'eventbridge:evt-1',
      point: {
        recoveryPointArn: POINT,
        status: 'EXPIRED',
        vaultArn: VAULT,
        vaultName: 'DR-Vault',
        resourceArn: DB,
        resourceType: 'RDS',
        change: type,
      },
    });
  });

  it('reads a recovery point from the resources, its state when it has no status', () => {
    expect(
      normalizeEvent(event('Recovery Point Change', { state: 'deleted' }, { resources: [POINT] })),
    ).toEqual({
      ...envelope,
      kind: 'recovery-point',
      dedupKey: 'eventbridge:evt-1',
      point: { recoveryPointArn: POINT, status: 'DELETED', change: 'Recovery Point Change' },
    });
    expect(normalizeEvent(event('Recovery Point Change', {}))).toMatchObject({
      point: { change: 'Recovery Point Change' },
    });
  });

  it.each([
    ['its ARN in the detail', { backupVaultArn: VAULT, backupVaultName: 'DR-Vault' }, {}, VAULT],
    [
      'its ARN in the resources, before one built from name, region and account',
      { backupVaultName: 'DR-Vault' },
      { resources: [POINT, 'arn:aws:backup:eu-central-1:444455556666:backup-vault:DR-Vault'] },
      'arn:aws:backup:eu-central-1:444455556666:backup-vault:DR-Vault',
    ],
    [
      'its name, region and account',
      { backupVaultName: 'DR-Vault' },
      {},
      'arn:aws:backup:eu-central-1:111122223333:backup-vault:DR-Vault',
    ],
  ])('names a changed vault by %s', (_case, detail, more, vaultArn) => {
    expect(
      normalizeEvent(event('Backup Vault Lock Configuration Change', { ...detail, state: 'LOCKED' }, more)),
    ).toEqual({
      ...envelope,
      kind: 'vault-change',
      dedupKey: 'eventbridge:evt-1',
      vault: {
        vaultArn,
        vaultName: 'DR-Vault',
        state: 'LOCKED',
        change: 'Backup Vault Lock Configuration Change',
      },
    });
  });

  it('builds no vault ARN without the region or the account', () => {
    for (const more of [{ region: undefined }, { account: undefined }]) {
      const result = normalizeEvent(event('Backup Vault State Change', { backupVaultName: 'v' }, more));
      expect(result).toMatchObject({ kind: 'vault-change', vault: { vaultName: 'v' } });
      expect((result as { vault: object }).vault).not.toHaveProperty('vaultArn');
    }
  });
});

describe('detail-types', () => {
  it.each([
    'Backup Plan State Change',
    'Backup Selection State Change',
    'constructor',
    'backup vault state change',
  ])('reads %j as kind other', (type) => {
    expect(normalizeEvent(event(type, {}))).toEqual({
      ...envelope,
      kind: 'other',
      dedupKey: 'eventbridge:evt-1',
      reason: `AWS Backup "${type}" events are not acted on (only job, recovery point and vault changes)`,
    });
  });
});
