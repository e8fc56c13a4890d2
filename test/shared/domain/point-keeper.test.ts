import { describe, expect, it } from 'vitest';
import { evaluateFreshness } from '#shared/domain/freshness.ts';
import { PointKeeper } from '#shared/domain/point-keeper.ts';
import { PointState, type RecoveryLocation, type RecoveryPoint } from '#shared/domain/recovery-point.ts';

const VAULT = 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr';
const OTHER_VAULT = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:primary';
const location: RecoveryLocation = { kind: 'aws-vault', vaultArn: VAULT };
const NOW = new Date('2026-11-21T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function point(id: string, ageMinutes: number, extra: Partial<RecoveryPoint> = {}): RecoveryPoint {
  return {
    id,
    location,
    state: PointState.Completed,
    providerStatus: 'COMPLETED',
    createdAt: minutesAgo(ageMinutes),
    isCopy: false,
    ...extra,
  };
}

function keep(points: readonly (readonly [RecoveryPoint, boolean])[]): string[] {
  const keeper = new PointKeeper(location);
  for (const [p, final] of points) keeper.offer(p, final);
  return keeper.points().map((p) => p.id);
}

describe('PointKeeper', () => {
  it.each([
    {
      name: 'keeps only the newest of points that always count',
      offered: [point('old', 60), point('new', 5), point('older', 120)],
      kept: ['new'],
    },
    {
      name: 'keeps the first of equally new points, as the freshness check picks it',
      offered: [point('first', 5), point('second', 5)],
      kept: ['first'],
    },
    {
      name: 'keeps every point with a deletion time, whose counting depends on the audit time',
      offered: [point('a', 5, { deleteAt: minutesAgo(1) }), point('b', 60, { deleteAt: minutesAgo(-60) })],
      kept: ['a', 'b'],
    },
    {
      name: 'keeps points that do not count, which a missing reason names',
      offered: [
        point('partial', 5, { state: PointState.Partial, providerStatus: 'PARTIAL' }),
        point('elsewhere', 6, { location: { kind: 'aws-vault', vaultArn: OTHER_VAULT } }),
        point('done', 60),
      ],
      kept: ['partial', 'elsewhere', 'done'],
    },
  ])('$name', ({ offered, kept }) => {
    expect(keep(offered.map((p) => [p, true] as const))).toEqual(kept);
  });

  it('keeps a copy whose data time is not final yet, and returns points in the order offered', () => {
    expect(
      keep([
        [point('backup', 30), true],
        [point('copy', 10, { isCopy: true }), false],
        [point('newer-backup', 20), true],
      ]),
    ).toEqual(['copy', 'newer-backup']);
  });

  it('counts every point offered', () => {
    const keeper = new PointKeeper(location);
    for (const age of [1, 2, 3]) keeper.offer(point(`p${age}`, age), true);
    expect(keeper.offered).toBe(3);
    expect(keeper.points()).toHaveLength(1);
  });

  it('gives the same freshness verdict as all the points, over seeded random point sets and times', () => {
    // A small linear congruential generator: the same cases on every run.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const states = [PointState.Completed, PointState.Completed, PointState.Partial, PointState.Expired];
    for (let run = 0; run < 300; run++) {
      const points = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) => {
        const state = states[Math.floor(random() * states.length)]!;
        return point(`rp-${i}`, Math.floor(random() * 6) * 20, {
          state,
          providerStatus: state.toUpperCase(),
          ...(random() < 0.3 ? { deleteAt: minutesAgo(Math.floor(random() * 200) - 100) } : {}),
          ...(random() < 0.15 ? { location: { kind: 'aws-vault', vaultArn: OTHER_VAULT } } : {}),
          ...(random() < 0.2 ? { sourceDataTime: minutesAgo(Math.floor(random() * 200)) } : {}),
        });
      });
      const keeper = new PointKeeper(location);
      // A point with a source data time stands for a copy whose data time was resolved late.
      for (const p of points) keeper.offer(p, p.sourceDataTime === undefined);
      for (const now of [NOW, minutesAgo(-90)]) {
        const verdict = (observed: readonly RecoveryPoint[]) =>
          evaluateFreshness({
            resource: 'db',
            rpoSeconds: 3600,
            warnAt: 0.8,
            location,
            observation: { ok: true, points: observed, jobs: [] },
            now,
          });
        expect(verdict(keeper.points())).toEqual(verdict(points));
      }
    }
  });
});
