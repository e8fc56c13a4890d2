/**
 * The drill invariants (sim/harness/drill-invariants.ts) each fire on the state that breaks them:
 * drill names, one drill in flight, deletes of its own restores only, yielding to a failover, a
 * tear-down recorded done only once the copy is gone, and kept copies deleted no earlier than expiry.
 */
import { describe, expect, it } from 'vitest';
import { DRILL_YIELD_SECONDS } from '#sim/harness/drill-invariants.ts';
import type { ObservedApp, ObservedFailover } from '#sim/harness/engine.ts';
import { InvariantChecker } from '#sim/harness/invariants.ts';
import type { TruthJob } from '#sim/harness/truth.ts';
import { app, failover, input, restore, T0, Truth } from './checker-fixtures.ts';

describe('InvariantChecker, drills', () => {
  const drill = (over: Partial<ObservedFailover> = {}): ObservedFailover =>
    failover({
      id: 'D1',
      phase: 'restoring',
      steps: [restore({ status: 'requested', jobId: null, idempotencyToken: 'D1-db' })],
      triggerKind: 'manual',
      ...over,
    });
  const withDrills = (drills: ObservedFailover[], failovers: ObservedFailover[] = []): ObservedApp => ({
    ...app(failovers, 'primary'),
    drills,
  });
  const drillJob = (t: Truth, over: Partial<TruthJob> = {}) =>
    t.job('j9', 'D1-db', 'db', { target: 'app-db-drill', ...over });

  /** Checks `first`, then `after` with `truth` changed `seconds` later. */
  function twice(first: ObservedApp, change: (t: Truth) => void, after: ObservedApp, seconds = 60) {
    const truth = new Truth();
    const checker = new InvariantChecker(truth);
    expect(checker.check(input(first))).toEqual([]);
    change(truth);
    return checker.check(input(after, { now: T0 + 120_000 + seconds * 1000 })).map((v) => v.invariant);
  }

  const tornDownDrill = drill({
    phase: 'tearing-down',
    steps: [
      restore({ jobId: 'j9', idempotencyToken: 'D1-db' }),
      { kind: 'teardown', target: 'db', status: 'succeeded', jobId: null, idempotencyToken: null },
    ],
  });
  const tornDownDelete = { app: 'app', resource: 'db', created: 'db-restored-j9', job: 'j9', at: T0 };

  it('passes a drill whose tear-down is recorded done once what it restored is gone', () => {
    const change = (t: Truth) => {
      drillJob(t);
      t.deleted.push({ ...tornDownDelete, doneAt: T0 + 150_000 });
    };
    expect(twice(withDrills([drill()]), change, withDrills([tornDownDrill]))).toEqual([]);
  });

  it('passes a drill that restores under its drill name', () => {
    expect(twice(withDrills([drill()]), (t) => drillJob(t), withDrills([drill()]))).toEqual([]);
  });

  it.each([
    {
      invariant: 'drill-names',
      why: 'a drill restores under the production (recovery) name',
      change: (t: Truth) => drillJob(t, { target: 'app-db-dr' }),
      after: withDrills([drill()]),
    },
    {
      invariant: 'one-drill-in-flight',
      why: 'two drills of one app run at once',
      change: () => {},
      after: withDrills([drill(), drill({ id: 'D2' })]),
    },
    {
      invariant: 'drill-deletes-own',
      why: 'a delete removes what no drill restore created',
      change: (t: Truth) =>
        t.deleted.push({ app: 'app', resource: 'db', created: 'app-db', job: undefined, at: T0, doneAt: T0 }),
      after: withDrills([drill()]),
    },
    {
      invariant: 'drill-deletes-own',
      why: "a delete removes what a failover's restore created",
      change: (t: Truth) => {
        t.job('j1', 'F1-db');
        t.deleted.push({
          app: 'app',
          resource: 'db',
          created: 'db-restored-j1',
          job: 'j1',
          at: T0,
          doneAt: T0,
        });
      },
      after: withDrills([drill()], [failover()]),
    },
    {
      invariant: 'torn-down-is-gone',
      why: 'a drill records its tear-down done while the delete is still in progress',
      change: (t: Truth) => {
        drillJob(t);
        t.deleted.push({ ...tornDownDelete, doneAt: T0 + 600_000 });
      },
      after: withDrills([tornDownDrill]),
    },
    {
      invariant: 'torn-down-is-gone',
      why: 'a drill records its tear-down done with no delete at all',
      change: (t: Truth) => drillJob(t),
      after: withDrills([tornDownDrill]),
    },
  ])('finds $invariant: $why', ({ invariant, change, after }) => {
    expect(
      twice(
        withDrills([
          drill({ steps: [restore({ status: 'pending', jobId: null, idempotencyToken: 'D1-db' })] }),
        ]),
        change,
        after,
      ),
    ).toContain(invariant);
  });

  it('finds drill-yields when a drill asks for a restore long after a failover of its app is in flight', () => {
    const pending = drill({
      steps: [restore({ status: 'pending', jobId: null, idempotencyToken: 'D1-db' })],
    });
    const flying = failover({
      phase: 'restoring',
      steps: [restore({ status: 'requested', jobId: null, idempotencyToken: 'F1-db' })],
    });
    const late = DRILL_YIELD_SECONDS + 60;
    expect(
      twice(withDrills([pending], [flying]), (t) => drillJob(t), withDrills([drill()], [flying]), late),
    ).toEqual(['drill-yields']);
    // A restore asked for before the failover, started (asked again) later: not the drill's fault.
    expect(
      twice(withDrills([drill()], [flying]), (t) => drillJob(t), withDrills([drill()], [flying]), late),
    ).toEqual([]);
  });

  it.each([
    { teardown: 'succeeded', deleted: false, found: ['drill-cleaned-up'] },
    { teardown: 'failed', deleted: false, found: [] },
    { teardown: 'succeeded', deleted: true, found: [] },
  ])(
    'once settled, a drill restore left behind with tear-down $teardown (deleted: $deleted) gives $found',
    ({ teardown, deleted, found }) => {
      const truth = new Truth();
      drillJob(truth);
      if (deleted)
        truth.deleted.push({
          app: 'app',
          resource: 'db',
          created: 'db-restored-j9',
          job: 'j9',
          at: T0,
          doneAt: T0,
        });
      const ended = drill({
        phase: 'completed',
        steps: [
          restore({ jobId: 'j9', idempotencyToken: 'D1-db' }),
          { kind: 'teardown', target: 'db', status: teardown, jobId: null, idempotencyToken: null },
        ],
      });
      const checker = new InvariantChecker(truth);
      checker.check(input(withDrills([ended])));
      expect(
        checker.checkSettled(T0 + 3_600_000, new Map([['app', withDrills([ended])]])).map((v) => v.invariant),
      ).toEqual(found);
    },
  );
});

describe('InvariantChecker, drills that keep what they restored', () => {
  const KEEP = 1800;
  const ENDED = T0 + 600_000;
  const kept = (phase = 'completed', endedAt: number | null = ENDED): ObservedFailover =>
    failover({
      id: 'D1',
      phase,
      endedAt,
      triggerKind: 'manual',
      steps: [
        restore({ jobId: 'j9', idempotencyToken: 'D1-db' }),
        { kind: 'teardown', target: 'db', status: 'skipped', jobId: null, idempotencyToken: null },
      ],
    });
  const withKept = (d: ObservedFailover, records: ObservedApp['kept'] = []): ObservedApp => ({
    ...app([], 'primary'),
    drills: [d],
    kept: records,
  });
  const checker = (truth: Truth) =>
    new InvariantChecker(truth, { fencing: true, keepFor: new Map([['app', KEEP]]) });
  const deleteAt = (truth: Truth, at: number) =>
    truth.deleted.push({ app: 'app', resource: 'db', created: 'db-restored-j9', job: 'j9', at, doneAt: at });

  it.each([
    {
      when: 'before its expiry',
      phase: 'completed',
      at: ENDED + KEEP * 1000 - 60_000,
      skew: 0,
      found: ['kept-until-expiry'],
    },
    {
      when: 'before its expiry, within the clock skew',
      phase: 'completed',
      at: ENDED + KEEP * 1000 - 60_000,
      skew: 60_000,
      found: [],
    },
    { when: 'at its expiry', phase: 'completed', at: ENDED + KEEP * 1000, skew: 0, found: [] },
    { when: 'at once, the drill aborted (preempted)', phase: 'aborted', at: ENDED, skew: 0, found: [] },
    { when: 'at once, the drill failed', phase: 'failed', at: ENDED, skew: 0, found: ['kept-until-expiry'] },
  ])('a kept restore deleted $when gives $found', ({ phase, at, skew, found }) => {
    const truth = new Truth();
    truth.job('j9', 'D1-db', 'db', { target: 'app-db-drill' });
    const c = checker(truth);
    const inFlight = kept('restoring', null);
    expect(c.check(input(withKept(inFlight)))).toEqual([]);
    deleteAt(truth, at);
    expect(c.check(input(withKept(kept(phase)), { maxSkewMs: skew })).map((v) => v.invariant)).toEqual(found);
  });

  it.each([
    { state: 'no record yet', records: [], deleted: false, outstanding: 1 },
    {
      state: 'a record not settled',
      records: [{ drillId: 'D1', settled: false, remaining: ['db-restored-j9'] }],
      deleted: false,
      outstanding: 1,
    },
    {
      state: 'a settled record naming it',
      records: [{ drillId: 'D1', settled: true, remaining: ['db-restored-j9'] }],
      deleted: false,
      outstanding: 0,
    },
    { state: 'deleted', records: [], deleted: true, outstanding: 0 },
  ])(
    'counts a kept restore as outstanding with $state: $outstanding',
    ({ records, deleted, outstanding }) => {
      const truth = new Truth();
      truth.job('j9', 'D1-db', 'db', { target: 'app-db-drill' });
      if (deleted) deleteAt(truth, ENDED + KEEP * 1000);
      const c = checker(truth);
      const state = withKept(kept(), records);
      c.check(input(state, { now: T0 + 3_600_000 }));
      expect(c.outstandingKept(T0 + 3_600_000, new Map([['app', state]]))).toHaveLength(outstanding);
      expect(c.checkSettled(T0 + 3_600_000, new Map([['app', state]])).map((v) => v.invariant)).toEqual(
        outstanding ? ['drill-cleaned-up'] : [],
      );
    },
  );
});
