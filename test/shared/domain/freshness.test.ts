import { describe, expect, it } from 'vitest';
import {
  dataTime,
  evaluateFreshness,
  type FreshnessInput,
  normalizeRegion,
  summarize,
  whyPointDoesNotCount,
} from '#shared/domain/freshness.ts';
import {
  type JobObservation,
  PointState,
  type RecoveryLocation,
  type RecoveryPoint,
} from '#shared/domain/recovery-point.ts';

const NOW = new Date('2026-11-21T12:00:00Z');
const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault';
const OTHER_VAULT = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:primary-vault';
const inVault: RecoveryLocation = { kind: 'aws-vault', vaultArn: VAULT };

/** `seconds` before NOW. */
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

function point(overrides: Partial<RecoveryPoint> = {}): RecoveryPoint {
  return {
    id: 'arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1',
    location: inVault,
    state: PointState.Completed,
    providerStatus: 'COMPLETED',
    createdAt: ago(60),
    isCopy: false,
    ...overrides,
  };
}

function job(overrides: Partial<JobObservation> = {}): JobObservation {
  return { id: 'job-1', kind: 'backup', state: 'FAILED', at: ago(30), ...overrides };
}

function evaluate(
  points: RecoveryPoint[],
  overrides: Partial<Omit<FreshnessInput, 'observation'>> & { jobs?: JobObservation[] } = {},
) {
  const { jobs = [], ...rest } = overrides;
  return evaluateFreshness({
    resource: 'case-db',
    rpoSeconds: 300,
    warnAt: 0.8,
    location: inVault,
    observation: { ok: true, points, jobs },
    now: NOW,
    ...rest,
  });
}

describe('evaluateFreshness', () => {
  describe('status from the age of the newest counting point (rpo 5m, warnAt 0.8)', () => {
    it.each([
      { age: 0, status: 'ok' },
      { age: 239, status: 'ok' },
      { age: 240, status: 'ok' }, // exactly warnAt × rpo
      { age: 241, status: 'warning' }, // one second more
      { age: 299, status: 'warning' },
      { age: 300, status: 'warning' }, // exactly rpo
      { age: 301, status: 'breach' }, // rpo + 1
      { age: 86_400, status: 'breach' },
    ])('age $age s gives $status', ({ age, status }) => {
      const result = evaluate([point({ createdAt: ago(age) })]);
      expect(result.status).toBe(status);
      expect(result.ageSeconds).toBe(age);
      expect(result.rpoSeconds).toBe(300);
    });

    it.each([
      { warnAt: 1, age: 300, status: 'ok' },
      { warnAt: 1, age: 301, status: 'breach' },
      { warnAt: 0.5, age: 150, status: 'ok' },
      { warnAt: 0.5, age: 151, status: 'warning' },
    ])('warnAt $warnAt moves the warning boundary: age $age s gives $status', ({ warnAt, age, status }) => {
      expect(evaluate([point({ createdAt: ago(age) })], { warnAt }).status).toBe(status);
    });

    it('keeps the exact boundary when warnAt × rpo is not exact in binary floating point', () => {
      // 0.7 × 86400 = 60479.99999999999 in IEEE doubles; the age 60480 s is still "≤ warnAt × rpo".
      const options = { rpoSeconds: 86_400, warnAt: 0.7 };
      expect(evaluate([point({ createdAt: ago(60_480) })], options).status).toBe('ok');
      expect(evaluate([point({ createdAt: ago(60_481) })], options).status).toBe('warning');
    });

    it('gives missing when there are no points at all, and says so', () => {
      const result = evaluate([]);
      expect(result).toMatchObject({ status: 'missing', ageSeconds: null, recoveryPoint: null, alert: true });
      expect(result.reason).toContain('no recovery points found');
      expect(result.reason).toContain(VAULT);
    });

    it('gives unknown with an alert when the provider could not be read, never fresh', () => {
      const result = evaluateFreshness({
        resource: 'case-db',
        rpoSeconds: 300,
        warnAt: 0.8,
        location: inVault,
        observation: { ok: false, error: 'AccessDeniedException: not authorized to ListRecoveryPoints' },
        now: NOW,
      });
      expect(result).toMatchObject({
        resource: 'case-db',
        status: 'unknown',
        ageSeconds: null,
        recoveryPoint: null,
        lastJob: null,
        alert: true,
      });
      expect(result.reason).toContain('AccessDeniedException');
    });

    it('alerts on every status but ok', () => {
      expect(evaluate([point({ createdAt: ago(10) })]).alert).toBe(false);
      expect(evaluate([point({ createdAt: ago(250) })]).alert).toBe(true);
      expect(evaluate([point({ createdAt: ago(400) })]).alert).toBe(true);
    });

    it('uses the rpo it is given, so a per-resource rpo decides the status', () => {
      const p = point({ createdAt: ago(600) });
      expect(evaluate([p], { rpoSeconds: 300 }).status).toBe('breach');
      expect(evaluate([p], { rpoSeconds: 900 }).status).toBe('ok');
      expect(evaluate([p], { rpoSeconds: 700 }).status).toBe('warning');
    });
  });

  describe('which points count', () => {
    it.each([
      { state: PointState.Partial, providerStatus: 'PARTIAL' },
      { state: PointState.Expired, providerStatus: 'EXPIRED' },
      { state: PointState.Deleting, providerStatus: 'DELETING' },
      { state: PointState.Creating, providerStatus: 'CREATING' },
      { state: PointState.Stopped, providerStatus: 'STOPPED' },
      { state: PointState.Unknown, providerStatus: 'SOMETHING_NEW' },
    ])('a $providerStatus point does not count', ({ state, providerStatus }) => {
      const result = evaluate([point({ state, providerStatus, createdAt: ago(10) })]);
      expect(result.status).toBe('missing');
      expect(result.reason).toContain(`status ${providerStatus}`);
    });

    it.each([
      { deleteAt: ago(1), counts: false, why: 'deletion time passed a second ago' },
      { deleteAt: ago(0), counts: false, why: 'deletion time is exactly now' },
      { deleteAt: ago(-1), counts: true, why: 'deletion time is a second in the future' },
      { deleteAt: undefined, counts: true, why: 'no deletion time is given' },
    ])('a completed point counts=$counts when its $why', ({ deleteAt, counts }) => {
      const result = evaluate([point({ createdAt: ago(10), ...(deleteAt ? { deleteAt } : {}) })]);
      expect(result.status).toBe(counts ? 'ok' : 'missing');
      if (!counts) expect(result.reason).toContain('past its deletion time');
    });

    it('does not count an AWS point in another vault, and names that vault', () => {
      const result = evaluate([point({ location: { kind: 'aws-vault', vaultArn: OTHER_VAULT } })]);
      expect(result.status).toBe('missing');
      expect(result.reason).toContain(`outside the recovery location (vault ${OTHER_VAULT})`);
    });

    it.each([
      { pointRegion: 'northeurope', counts: true },
      { pointRegion: 'North Europe', counts: true },
      { pointRegion: 'NORTHEUROPE', counts: true },
      { pointRegion: 'westeurope', counts: false },
      { pointRegion: 'West Europe', counts: false },
    ])(
      'an Azure point in region "$pointRegion" counts=$counts for recovery region northeurope',
      ({ pointRegion, counts }) => {
        const result = evaluate(
          [point({ location: { kind: 'azure-region', region: pointRegion }, providerStatus: 'Completed' })],
          { location: { kind: 'azure-region', region: 'northeurope' } },
        );
        expect(result.status).toBe(counts ? 'ok' : 'missing');
      },
    );

    it('compares Azure regions case- and space-insensitively', () => {
      expect(normalizeRegion('West Europe')).toBe(normalizeRegion('westeurope'));
      expect(
        whyPointDoesNotCount(
          point({ location: { kind: 'azure-region', region: 'West Europe' } }),
          { kind: 'azure-region', region: 'westeurope' },
          NOW,
        ),
      ).toBeUndefined();
    });

    it('never matches an AWS vault with an Azure region', () => {
      expect(whyPointDoesNotCount(point(), { kind: 'azure-region', region: 'eu-central-1' }, NOW)).toMatch(
        /outside the recovery location/,
      );
    });

    it('picks the newest counting point even when a newer point does not count', () => {
      const counting = point({ id: 'rp-old-completed', createdAt: ago(200) });
      const newerPartial = point({
        id: 'rp-new-partial',
        createdAt: ago(10),
        state: PointState.Partial,
        providerStatus: 'PARTIAL',
      });
      const newerElsewhere = point({
        id: 'rp-new-elsewhere',
        createdAt: ago(5),
        location: { kind: 'aws-vault', vaultArn: OTHER_VAULT },
      });
      const olderCounting = point({ id: 'rp-older-completed', createdAt: ago(280) });
      const result = evaluate([olderCounting, newerPartial, counting, newerElsewhere]);
      expect(result).toMatchObject({ status: 'ok', ageSeconds: 200, recoveryPoint: 'rp-old-completed' });
    });

    it('lists why each point was rejected when none counts', () => {
      const result = evaluate([
        point({ id: 'rp-a', state: PointState.Partial, providerStatus: 'PARTIAL' }),
        point({ id: 'rp-b', location: { kind: 'aws-vault', vaultArn: OTHER_VAULT } }),
      ]);
      expect(result.reason).toContain('2 point(s), none counts');
      expect(result.reason).toContain('1 status PARTIAL (rp-a)');
      expect(result.reason).toContain(
        '1 outside the recovery location (vault arn:aws:backup:eu-west-1:111122223333:backup-vault:primary-vault) (rp-b)',
      );
    });
  });

  describe('copies: the age is never under-estimated', () => {
    it.each([
      {
        case: 'source data time earlier than the copy: age from the source',
        createdAt: ago(60),
        sourceDataTime: ago(280),
        age: 280,
        status: 'warning',
      },
      {
        case: 'source data time later than the copy: age from the copy',
        createdAt: ago(60),
        sourceDataTime: ago(30),
        age: 60,
        status: 'ok',
      },
      {
        case: 'source data time unknown: age from the copy',
        createdAt: ago(60),
        sourceDataTime: undefined,
        age: 60,
        status: 'ok',
      },
    ])('$case', ({ createdAt, sourceDataTime, age, status }) => {
      const copy = point({ isCopy: true, createdAt, ...(sourceDataTime ? { sourceDataTime } : {}) });
      const result = evaluate([copy]);
      expect(result).toMatchObject({ ageSeconds: age, status });
      expect(result.reason).toContain('(copy)');
    });

    it('chooses the newest point by data time, not by creation time', () => {
      // A copy made just now of an old backup is older data than a backup taken two minutes ago.
      const freshCopyOfOldData = point({
        id: 'rp-copy',
        isCopy: true,
        createdAt: ago(5),
        sourceDataTime: ago(400),
      });
      const recentBackup = point({ id: 'rp-backup', createdAt: ago(120) });
      expect(evaluate([freshCopyOfOldData, recentBackup])).toMatchObject({
        recoveryPoint: 'rp-backup',
        ageSeconds: 120,
      });
      expect(dataTime(freshCopyOfOldData)).toEqual(ago(400));
    });
  });

  describe('failed jobs after the newest point (lastJob)', () => {
    it.each(['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'])(
      'reports a %s job that ended after the newest point and alerts while ok',
      (state) => {
        const result = evaluate([point({ createdAt: ago(100) })], {
          jobs: [job({ id: 'job-9', state, at: ago(20), message: 'snapshot quota exceeded' })],
        });
        expect(result.status).toBe('ok');
        expect(result.alert).toBe(true);
        expect(result.lastJob).toEqual({
          id: 'job-9',
          kind: 'backup',
          state,
          at: ago(20).toISOString(),
          message: 'snapshot quota exceeded',
        });
        expect(result.reason).toContain(`backup job job-9 ended ${state}`);
      },
    );

    it.each([
      { case: 'a failed job that ended before the newest point', j: job({ at: ago(200) }) },
      { case: 'a failed job that ended exactly at the newest point', j: job({ at: ago(100) }) },
      { case: 'a COMPLETED job after the newest point', j: job({ state: 'COMPLETED', at: ago(20) }) },
      { case: 'a RUNNING job after the newest point', j: job({ state: 'RUNNING', at: ago(20) }) },
    ])('ignores $case', ({ j }) => {
      const result = evaluate([point({ createdAt: ago(100) })], { jobs: [j] });
      expect(result).toMatchObject({ status: 'ok', lastJob: null, alert: false });
    });

    it('reports the latest of several failed jobs, copy jobs included', () => {
      const result = evaluate([point({ createdAt: ago(250) })], {
        jobs: [
          job({ id: 'backup-a', at: ago(200) }),
          job({ id: 'copy-b', kind: 'copy', state: 'ABORTED', at: ago(40) }),
          job({ id: 'backup-c', at: ago(120) }),
        ],
      });
      expect(result.lastJob).toMatchObject({ id: 'copy-b', kind: 'copy', state: 'ABORTED' });
      expect(result.lastJob).not.toHaveProperty('message');
      expect(result.reason).toContain('copy job copy-b ended ABORTED');
    });

    it('reports any failed job on a resource with no counting point', () => {
      const result = evaluate([], { jobs: [job({ id: 'job-x', at: ago(5000) })] });
      expect(result).toMatchObject({ status: 'missing', lastJob: { id: 'job-x' } });
      expect(result.reason).toContain('job-x');
    });
  });

  describe('reasons', () => {
    it.each([
      { age: 60, fragments: ['1m 0s old', 'within 80% of the RPO 5m'] },
      { age: 260, fragments: ['4m 20s old', 'past 80% of the RPO 5m'] },
      { age: 3720, fragments: ['1h 2m old', 'older than the RPO 5m'] },
    ])('state the age and the RPO compared (age $age s)', ({ age, fragments }) => {
      const { reason } = evaluate([point({ createdAt: ago(age) })]);
      for (const f of fragments) expect(reason).toContain(f);
    });
  });
});

describe('summarize', () => {
  it('counts every status, with zero for those absent', () => {
    expect(summarize([{ status: 'ok' }, { status: 'breach' }, { status: 'ok' }])).toEqual({
      ok: 2,
      warning: 0,
      breach: 1,
      missing: 0,
      unknown: 0,
    });
  });
});

describe('evaluateFreshness with unreadable jobs', () => {
  it('says in the reason that recent jobs could not be read, keeping the status from the points', () => {
    const now = new Date('2026-11-21T12:00:00Z');
    const result = evaluateFreshness({
      resource: 'db',
      rpoSeconds: 3600,
      warnAt: 0.8,
      location: { kind: 'aws-vault', vaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:v' },
      observation: {
        ok: true,
        points: [
          {
            id: 'rp',
            location: {
              kind: 'aws-vault',
              vaultArn: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:v',
            },
            state: 'completed',
            providerStatus: 'COMPLETED',
            createdAt: new Date(now.getTime() - 60_000),
            isCopy: false,
          },
        ],
        jobs: [],
        jobsError: 'AccessDeniedException',
      },
      now,
    });
    expect(result.status).toBe('ok');
    expect(result.reason).toContain('recent jobs could not be read (AccessDeniedException)');
  });
});

describe('evaluateFreshness: the newest point, whatever the order the provider lists them in', () => {
  const ids = ['rp-newest', 'rp-middle', 'rp-oldest'];
  const points = [
    point({ id: 'rp-newest', createdAt: ago(30) }),
    point({ id: 'rp-middle', createdAt: ago(90) }),
    point({ id: 'rp-oldest', createdAt: ago(150) }),
  ];
  it.each([
    { order: 'newest first', list: [0, 1, 2] },
    { order: 'newest in the middle', list: [2, 0, 1] },
    { order: 'newest last', list: [1, 2, 0] },
  ])('picks rp-newest (30 s old) when the points come $order', ({ list }) => {
    const result = evaluate(list.map((i) => points[i]!));
    expect(result.recoveryPoint).toBe(ids[0]);
    expect(result.ageSeconds).toBe(30);
  });
});

describe('evaluateFreshness: reasons, word for word', () => {
  it.each([
    {
      case: 'a fresh point, no job',
      points: [point({ createdAt: ago(60) })],
      jobs: [],
      reason: 'newest restorable point is 1m 0s old, within 80% of the RPO 5m',
    },
    {
      case: 'a fresh copy and a failed copy job after it',
      points: [point({ createdAt: ago(60), isCopy: true })],
      jobs: [job({ id: 'copy-9', kind: 'copy', at: ago(10) })],
      reason: `newest restorable point is 1m 0s old, within 80% of the RPO 5m (copy); copy job copy-9 ended FAILED at ${ago(10).toISOString()}`,
    },
    {
      case: 'points that do not count, named by the last segment of their ids',
      points: [
        point({
          id: 'arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-a',
          state: PointState.Partial,
          providerStatus: 'PARTIAL',
        }),
        point({
          id: 'arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-b',
          state: PointState.Partial,
          providerStatus: 'PARTIAL',
        }),
        point({
          id: '/subscriptions/s/resourceGroups/g/providers/p/recoveryPoints/rp-c/',
          state: PointState.Expired,
          providerStatus: 'EXPIRED',
        }),
      ],
      jobs: [],
      reason: `no restorable recovery point in vault ${VAULT}: 3 point(s), none counts: 2 status PARTIAL; 1 status EXPIRED (rp-c)`,
    },
  ])('$case', ({ points, jobs, reason }) => {
    expect(evaluate(points, { jobs }).reason).toBe(reason);
  });

  it('names the recovery region of an Azure location and the one point outside it', () => {
    const result = evaluate(
      [point({ id: 'rp:one', location: { kind: 'azure-region', region: 'westeurope' } })],
      {
        location: { kind: 'azure-region', region: 'North Europe' },
      },
    );
    expect(result.reason).toBe(
      'no restorable recovery point in region North Europe: 1 point(s), none counts: 1 outside the recovery location (region westeurope) (one)',
    );
  });
});

describe('normalizeRegion', () => {
  it.each([
    ['West Europe', 'westeurope'],
    ['westeurope', 'westeurope'],
    ['NORTH_EUROPE', 'northeurope'],
    ['eu-central-1', 'eucentral1'],
    ['  South  Africa North ', 'southafricanorth'],
  ])('writes %j as %j (lower case, no spaces, dashes or underscores)', (region, normal) => {
    expect(normalizeRegion(region)).toBe(normal);
  });
});
