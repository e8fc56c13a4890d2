import { describe, expect, it } from 'vitest';
import { isEndedJobStatus, restoreJobState, restoreOperationState } from '#azure/adapters/arm-restore.ts';
import {
  DATA_PROTECTION_JOB_STATUSES,
  RECOVERY_SERVICES_JOB_STATUSES,
} from '#azure/adapters/job-statuses.ts';

describe('Data Protection restore job statuses', () => {
  it.each([
    { status: 'Started', state: 'running' },
    { status: 'InProgress', state: 'running' },
    { status: 'Cancelling', state: 'running' },
    { status: 'Succeeded', state: 'succeeded' },
    { status: 'SucceededWithWarnings', state: 'succeeded' },
    { status: 'Success', state: 'succeeded' },
    { status: 'SuccessWithWarning', state: 'succeeded' },
    { status: 'Completed', state: 'succeeded' },
    { status: 'CompletedWithWarnings', state: 'succeeded' },
    { status: 'Failed', state: 'failed' },
    { status: 'Cancelled', state: 'failed' },
    { status: 'Paused', state: 'running' },
    { status: 'Unheard', state: 'running' },
  ])('reads $status as $state', ({ status, state }) => {
    expect(restoreJobState(DATA_PROTECTION_JOB_STATUSES, 'j1', status, [], 'target').state).toBe(state);
  });

  it('names a status it does not know instead of taking it for progress', () => {
    expect(restoreJobState(DATA_PROTECTION_JOB_STATUSES, 'j1', 'Unheard', [], undefined).message).toBe(
      'restore job j1 reports status "Unheard", not known to Standby',
    );
  });

  it('gives the created resource on success and the errors on failure', () => {
    expect(restoreJobState(DATA_PROTECTION_JOB_STATUSES, 'j1', 'Succeeded', [], '/sub/x')).toEqual({
      state: 'succeeded',
      message: 'restore job j1 Succeeded',
      createdResource: '/sub/x',
    });
    expect(
      restoreJobState(DATA_PROTECTION_JOB_STATUSES, 'j1', 'Failed', ['E1: disk full'], '/sub/x'),
    ).toEqual({ state: 'failed', message: 'restore job j1 Failed: E1: disk full' });
  });

  it.each([
    { status: 'Succeeded', ended: true },
    { status: 'Started', ended: false },
    { status: 'Cancelled', ended: true },
    { status: 'Whatever', ended: false },
  ])('counts $status as ended: $ended', ({ status, ended }) => {
    expect(isEndedJobStatus(DATA_PROTECTION_JOB_STATUSES, status)).toBe(ended);
  });
});

describe('Recovery Services restore job statuses', () => {
  it.each([
    { status: 'InProgress', state: 'running' },
    { status: 'Completed', state: 'succeeded' },
    { status: 'CompletedWithWarnings', state: 'succeeded' },
    { status: 'Failed', state: 'failed' },
    { status: 'Cancelled', state: 'failed' },
    { status: 'Invalid', state: 'running' },
  ])('reads $status as $state', ({ status, state }) => {
    expect(restoreJobState(RECOVERY_SERVICES_JOB_STATUSES, 'j1', status, [], undefined).state).toBe(state);
  });
});

describe('restoreOperationState', () => {
  it.each([
    { status: 'InProgress', state: 'running' },
    { status: 'Inprogress', state: 'running' },
    { status: 'Failed', state: 'failed' },
    { status: 'Canceled', state: 'failed' },
    { status: 'Cancelled', state: 'failed' },
  ])('reads an operation $status as $state', ({ status, state }) => {
    expect(restoreOperationState('db', status, undefined)?.state).toBe(state);
  });

  it.each(['Succeeded', 'Success'])('hands over to the job once the operation reads %s', (status) => {
    expect(restoreOperationState('db', status, undefined)).toBeUndefined();
  });
});
