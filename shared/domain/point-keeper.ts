/**
 * Keeps, of the recovery points of one resource as they stream in page by page, only those the RPO
 * check (`evaluateFreshness`) can need, so an inventory holds a handful of points per resource instead
 * of every point of its vault. The verdict over the kept points is the verdict over all of them.
 */
import { dataTime, whyPointDoesNotCount } from './freshness.ts';
import type { RecoveryLocation, RecoveryPoint } from './recovery-point.ts';

/** Any instant: whether a point without a deletion time counts does not depend on when it is asked. */
const ANY_TIME = new Date(0);

/**
 * The points of one resource, reduced as they arrive:
 * 1. a point that counts whenever the audit runs (in the recovery location, complete, no deletion
 *    time) and whose data time is final is kept only while it is the newest such point, the first
 *    one seen on a tie, as `evaluateFreshness` picks the first of equally new points;
 * 2. every other point is kept: whether it counts depends on the audit's `now` (its deletion time),
 *    its data time is not known yet (a copy whose source is resolved later), or it does not count and
 *    may be named in a `missing` reason. A resource with a point of kind 1 is never `missing`, so
 *    dropping the older ones never changes that reason.
 * Points come back in the order they were offered.
 */
export class PointKeeper {
  readonly #location: RecoveryLocation;
  readonly #kept = new Map<number, RecoveryPoint>();
  #offered = 0;
  #best: { readonly order: number; readonly time: number } | undefined;

  constructor(location: RecoveryLocation) {
    this.#location = location;
  }

  /** Offers the next point; `dataTimeFinal` is false when a source data time may still be added to it. */
  offer(point: RecoveryPoint, dataTimeFinal: boolean): void {
    const order = this.#offered++;
    const settled =
      dataTimeFinal &&
      point.deleteAt === undefined &&
      whyPointDoesNotCount(point, this.#location, ANY_TIME) === undefined;
    if (!settled) {
      this.#kept.set(order, point);
      return;
    }
    const time = dataTime(point).getTime();
    if (this.#best && this.#best.time >= time) return;
    if (this.#best) this.#kept.delete(this.#best.order);
    this.#best = { order, time };
    this.#kept.set(order, point);
  }

  /** Points offered so far. */
  get offered(): number {
    return this.#offered;
  }

  /** The kept points, in the order they were offered (a map keeps insertion order, and orders only grow). */
  points(): RecoveryPoint[] {
    return [...this.#kept.values()];
  }
}
