/**
 * Recovery points of the simulated Azure world indexed by their owner (the backup instance or
 * protected item their id starts with), so a listing costs the owner's points, not a scan of every
 * point in the world. Ids are compared normalized (Azure ids are case-insensitive). Rebuilt when the
 * list is replaced or changes length.
 */
import { normalizeAzureId } from '#shared/domain/identifiers.ts';

type Item = Readonly<Record<string, unknown>>;

const SEGMENT = '/recoverypoints/';
const cache = new WeakMap<
  readonly Item[],
  { readonly length: number; readonly byOwner: Map<string, Item[]> }
>();

/**
 * The points whose normalized id starts with `prefix` (a normalized owner id followed by
 * `/recoverypoints/`), in the world's order.
 */
export function pointsUnder(points: readonly Item[], prefix: string): readonly Item[] {
  let entry = cache.get(points);
  if (entry?.length !== points.length) {
    const byOwner = new Map<string, Item[]>();
    for (const p of points) {
      const id = typeof p['id'] === 'string' ? normalizeAzureId(p['id']) : '';
      const at = id.indexOf(SEGMENT);
      if (at < 0) continue;
      const owner = id.slice(0, at + SEGMENT.length);
      const list = byOwner.get(owner);
      if (list) list.push(p);
      else byOwner.set(owner, [p]);
    }
    entry = { length: points.length, byOwner };
    cache.set(points, entry);
  }
  if (prefix.endsWith(SEGMENT) && !prefix.slice(0, -SEGMENT.length).includes(SEGMENT))
    return entry.byOwner.get(prefix) ?? [];
  // Not an owner's listing prefix: answer as the scan would.
  return points.filter((p) => typeof p['id'] === 'string' && normalizeAzureId(p['id']).startsWith(prefix));
}
