/**
 * The CI seed set of the simulation harness (see docs/reliability.md), run by two test files so vitest
 * spreads it over both cores. Each seed is a world against the real engine, checked step by step. A
 * seed listed in ENGINE_BUGS still breaks an invariant on the current engine: it runs as `it.fails`,
 * so it turns red the day the engine is fixed — then drop it from the list. Any change to what the
 * engine reads or writes changes the worlds drawn after it (523 passes once fencing is fixed, for
 * instance): re-run `npm run sim -- --seeds 600` and update the list.
 */
import { describe, expect, it } from 'vitest';
import { runSeed } from '#sim/harness/run-seed.ts';

/** The range `npm test` runs: seeds 1..600. */
export const CI_SEEDS = { first: 1, count: 600 } as const;

const SKEW =
  "clock skew between controllers: each phase change is stamped with the writing controller's clock, " +
  'so an entry written by the slower clock lands before the one it follows (stamp max(now, last entry) instead)';

/**
 * Seeds that find an engine bug today (seed → invariant and diagnosis, for the lead). Seeds past the
 * range are regressions found by longer runs (`npm run sim -- --seeds 4000`).
 */
export const ENGINE_BUGS: Readonly<Record<number, { invariant: string; why: string }>> = {
  451: { invariant: 'history-order', why: `${SKEW} (B +18s: restoring 6s before awaiting-approval)` },
  523: { invariant: 'history-order', why: `${SKEW} (B -1s: completed 1s before switching)` },
  582: { invariant: 'history-order', why: `${SKEW} (B +19s: switching 19s before validating)` },
  1380: {
    invariant: 'no-job-after-end',
    why:
      'a stale lease holder is not fenced: withFailover() writes Math.max(own token, stored token), so ' +
      "fencedUpdate never refuses it. t37's lease on app-2 expired during a 345s jump, t38 took it and recorded " +
      'restore-requested for r2; t37 then recorded its throttled start as failed (failover F1 ends) and t38 ' +
      'started r2 for the ended F1. With `fencingToken ?? state.fencingToken` the seed passes',
  },
  8632: {
    invariant: 'history-order',
    why:
      'no skew needed (B +0s): an event is stamped when it is observed, not when it is written. t33 observed ' +
      "F1's end, paused 671s before its write, and wrote 'failed' at 12:32:52 after another round had recorded " +
      "'finishing' at 12:34:42 (stamp max(event time, last entry)). Still fails with the fencing fix",
  },
  13104: {
    invariant: 'no-job-after-end',
    why:
      "one lease owner per instance (as the CLI's standby-cli@host) gives two concurrent rounds the same lease: " +
      'acquiring again is idempotent for the same owner, so t21 and t23 both hold it. t21 recorded ' +
      "restore-requested for r2 and stalled 4s before StartRestoreJob; t23's start of r2 got a 5xx and ended F1 " +
      'failed; then t21 started r2 for the ended F1. Still fails with the fencing fix: a unique owner per ' +
      'invocation, or a fresh read of the failover right before each effect',
  },
  8622: {
    invariant: 'stored-site',
    why:
      "the same unfenced stale holder: t43's switch was throttled, it read the routing back as primary and " +
      'paused 728s before recording switch-failed; t51 switched for real meanwhile and failed to record it; ' +
      't43 resumed long after its lease expired, re-read, and its stale switch-failed ended F2 failed with ' +
      'traffic on recovery. A switch outcome is not scoped to the attempt it was observed in. Passes with the fencing fix',
  },
};

/** Declares the tests of seeds `first`..`last` (and of the engine-bug seeds in that range, or past it when `extra`). */
export function describeSeeds(first: number, last: number, extra = false): void {
  const inRange = (s: number) => s >= first && s <= last;
  const seeds = Array.from({ length: last - first + 1 }, (_, i) => first + i).filter(
    (s) => !(s in ENGINE_BUGS),
  );
  const bugs = Object.entries(ENGINE_BUGS)
    .map(([seed, bug]) => ({ seed: Number(seed), ...bug }))
    .filter((b) => inRange(b.seed) || (extra && b.seed > CI_SEEDS.first + CI_SEEDS.count - 1));

  describe(`simulation harness, seeds ${first}–${last}`, () => {
    it.each(seeds)('seed %i keeps every invariant', async (seed) => {
      const result = await runSeed(seed);
      const failure = result.violation && [
        `${result.violation.invariant}: ${result.violation.detail}`,
        `replay: npm run sim -- --seed ${seed}`,
        ...result.trace.slice(-40),
      ];
      expect(failure).toBeUndefined();
    });

    it.fails.each(bugs)('seed $seed still finds an engine bug ($invariant)', async ({ seed, invariant }) => {
      const result = await runSeed(seed);
      expect(result.violation?.invariant).not.toBe(invariant);
    });
  });
}
