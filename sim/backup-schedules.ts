/**
 * Backups the simulated world keeps taking as its clock moves: each `backups[]` schedule
 * (`{ resource, every }`) makes, every `every` after the newest recovery point of its resource, a new
 * point — the newest one, moved forward in time, under a new id — in each vault (AWS: per
 * `BackupVaultArn`; Azure: per backup instance / protected item listing, primary and secondary) where
 * the resource already has points. So the clock moved by `advance`, by a replayed event or by a
 * restore's wait ages a resource only as far as its schedule lets it, as in the real clouds.
 */
import { normalizeAzureId } from '#shared/domain/identifiers.ts';
import type { World } from './world.ts';

type Item = Record<string, unknown>;

/** At most this many points per schedule and vault in one run: older slots of a long jump are skipped. */
const MAX_POINTS_PER_RUN = 1000;

/** One schedule of the world, `every` in seconds. */
export interface BackupSchedule {
  readonly resource: string;
  readonly everySeconds: number;
  /** The schedule takes no backup at or before this time (the world file's clock: its points are the past). */
  readonly since: Date;
}

/** Makes every scheduled point due by `now`; returns how many were made. */
export function runBackupSchedules(world: World, schedules: readonly BackupSchedule[], now: Date): number {
  let made = 0;
  for (const s of schedules) {
    const aws = world.aws.recoveryPoints as Item[];
    made += extend(
      aws,
      groupBy(
        aws.filter((p) => p['ResourceArn'] === s.resource),
        'BackupVaultArn',
      ),
      s,
      now,
      AWS_TIMES,
    );
    const owner = `${normalizeAzureId(s.resource)}/recoverypoints/`;
    for (const list of [world.azure.recoveryPoints, world.azure.secondaryRecoveryPoints] as Item[][]) {
      const mine = list.filter(
        (p) => typeof p['id'] === 'string' && normalizeAzureId(p['id']).startsWith(owner),
      );
      made += extend(list, groupBy(mine, 'location'), s, now, AZURE_TIMES);
    }
  }
  return made;
}

/** How a cloud writes a point's times, and how a new point is named. */
interface TimeShape {
  readonly created: (p: Item) => number | undefined;
  readonly isTimeKey: RegExp;
  readonly shift: (value: unknown, deltaMs: number) => unknown;
  readonly rename: (p: Item, suffix: string) => Item;
}

const AWS_TIMES: TimeShape = {
  created: (p) => (typeof p['CreationDate'] === 'number' ? p['CreationDate'] * 1000 : undefined),
  isTimeKey: /(Date|Time|At)$/,
  shift: (v, d) => (typeof v === 'number' ? v + d / 1000 : v),
  rename: (p, suffix) => ({ ...p, RecoveryPointArn: `${baseId(p['RecoveryPointArn'])}-${suffix}` }),
};

const AZURE_TIMES: TimeShape = {
  created: (p) => {
    const t = (p['properties'] as Item | undefined)?.['recoveryPointTime'];
    return typeof t === 'string' ? Date.parse(t) : undefined;
  },
  isTimeKey: /(Time|time|Date)$/,
  shift: (v, d) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? new Date(Date.parse(v) + d).toISOString() : v,
  rename: (p, suffix) => ({
    ...p,
    id: `${baseId(p['id'])}-${suffix}`,
    name: `${baseId(p['name'])}-${suffix}`,
  }),
};

/** Adds to `list` the points each group's schedule has made by `now`. */
function extend(
  list: Item[],
  groups: Map<unknown, Item[]>,
  s: BackupSchedule,
  now: Date,
  shape: TimeShape,
): number {
  let made = 0;
  const everyMs = s.everySeconds * 1000;
  for (const points of groups.values()) {
    const newest = points.reduce<Item | undefined>(
      (best, p) =>
        (shape.created(p) ?? -Infinity) > (best ? (shape.created(best) ?? -Infinity) : -Infinity) ? p : best,
      undefined,
    );
    const from = newest ? shape.created(newest) : undefined;
    if (!newest || from === undefined) continue;
    const due = Math.floor((now.getTime() - from) / everyMs);
    const first = Math.max(
      1,
      Math.floor((s.since.getTime() - from) / everyMs) + 1,
      due - MAX_POINTS_PER_RUN + 1,
    );
    for (let k = first; k <= due; k++) {
      const at = from + k * everyMs;
      list.push(shape.rename(shiftTimes(newest, k * everyMs, shape) as Item, `s${at / 1000}`));
      made++;
    }
  }
  return made;
}

/** A copy of `value` with every time under a time key moved forward by `deltaMs`. */
function shiftTimes(value: unknown, deltaMs: number, shape: TimeShape): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, deltaMs, shape));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      shape.isTimeKey.test(k) && (typeof v === 'number' || typeof v === 'string')
        ? shape.shift(v, deltaMs)
        : shiftTimes(v, deltaMs, shape),
    ]),
  );
}

/** An id without the suffix a scheduled point was given, so the points of a schedule share one stem. */
const baseId = (id: unknown): string => String(id).replace(/-s\d+$/, '');

function groupBy(items: readonly Item[], key: string): Map<unknown, Item[]> {
  const groups = new Map<unknown, Item[]>();
  for (const item of items) groups.set(item[key], [...(groups.get(item[key]) ?? []), item]);
  return groups;
}
