/**
 * The registry of the simulated cloud's operation names (`service:Operation`): what `faults[].api` and
 * `limits` keys of a world file may name. Built from the services' own route tables, so an operation
 * the simulation serves is in it and a name it never serves is refused when the world is read, with
 * the nearest names, rather than accepted and never triggered.
 */
import { AWS_OPERATIONS } from './aws/request-handler.ts';
import { armRoutes } from './azure/http-client.ts';
import { HTTP_OPERATION } from './http-prober.ts';
import { DELETE_OPERATIONS } from './restored-resources.ts';
import { TEAMS_OPERATION } from './teams.ts';

let registry: ReadonlySet<string> | undefined;

/** Every operation the simulated cloud serves, sorted. Read on first use: the ARM routes load late. */
export function simulatedOperations(): ReadonlySet<string> {
  registry ??= new Set(
    [
      ...AWS_OPERATIONS,
      ...armRoutes().map((route) => route.api),
      HTTP_OPERATION,
      TEAMS_OPERATION,
      ...DELETE_OPERATIONS,
    ].sort(),
  );
  return registry;
}

/** Up to `count` registered names nearest to `name` (edit distance, case ignored), nearest first. */
export function nearestOperations(name: string, count = 3): string[] {
  const lower = name.toLowerCase();
  return [...simulatedOperations()]
    .map((op) => ({ op, distance: editDistance(lower, op.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || a.op.localeCompare(b.op))
    .slice(0, count)
    .map((x) => x.op);
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = row;
  }
  return previous[b.length]!;
}
