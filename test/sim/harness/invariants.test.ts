/**
 * Each invariant fires on the state that breaks it, and a clean completed failover passes them all:
 * the harness can fail, and says which invariant and why.
 */
import { describe, expect, it } from 'vitest';
import { DRILL_YIELD_SECONDS } from '#sim/harness/drill-invariants.ts';
import type { ObservedApp, ObservedFailover, ObservedStep } from '#sim/harness/engine.ts';
import { type CheckInput, InvariantChecker } from '#sim/harness/invariants.ts';
import type { CloudTruth, TruthDelete, TruthJob, TruthRouting } from '#sim/harness/truth.ts';

const T0 = Date.parse('2026-11-21T12:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

class Truth implements CloudTruth {
  readonly list: TruthJob[] = [];
  readonly probes: { url: string; ok: boolean }[] = [];
  readonly deleted: TruthDelete[] = [];
  site: TruthRouting = 'primary';
  jobs() {
    return this.list;
  }
  deletes() {
    return this.deleted;
  }
  routing() {
    return this.site;
  }
  job(id: string, token: string, resource = 'db', over: Partial<TruthJob> = {}): TruthJob {
    const job = {
      id,
      token,
      app: 'app',
      resource,
      startedAt: T0,
      endsAt: T0 + 60_000,
      outcome: 'succeeded',
      target: `${resource}-dr`,
      ...over,
    } as const;
    this.list.push(job);
    return job;
  }
}

const restore = (over: Partial<ObservedStep> = {}): ObservedStep => ({
  kind: 'restore',
  target: 'db',
  status: 'succeeded',
  jobId: 'j1',
  idempotencyToken: 'F1-db',
  ...over,
});

const failover = (over: Partial<ObservedFailover> = {}): ObservedFailover => {
  const phase = over.phase ?? 'completed';
  return {
    id: 'F1',
    phase,
    steps: [
      restore(),
      { kind: 'switch', target: 'switch', status: 'succeeded', jobId: null, idempotencyToken: null },
    ],
    history: [{ phase: 'restoring', at: at(0) }, ...(phase === 'restoring' ? [] : [{ phase, at: at(70) }])],
    approval: null,
    triggerKind: 'alarm',
    endedAt: null,
    ...over,
  };
};

const app = (
  all: ObservedFailover[],
  activeSite: ObservedApp['activeSite'] = 'recovery',
  fencingToken = 0,
): ObservedApp => ({
  activeSite,
  fencingToken,
  current: all.at(-1) ?? null,
  all,
  drills: [],
  kept: [],
});

const input = (a: ObservedApp, over: Partial<CheckInput> = {}): CheckInput => ({
  now: T0 + 120_000,
  apps: new Map([['app', a]]),
  approved: new Set(),
  alarmFacts: new Map([['app', new Set(['app@1'])]]),
  maxSkewMs: 0,
  probes: new Map(),
  ...over,
});

/** Checks a clean start (app before any failover, routing primary), then `state` with `truth` changed. */
function run(change: (t: Truth) => void, state: ObservedApp, over: Partial<CheckInput> = {}) {
  const truth = new Truth();
  const checker = new InvariantChecker(truth);
  expect(checker.check(input(app([], 'primary')))).toEqual([]);
  change(truth);
  return checker.check(input(state, over)).map((v) => v.invariant);
}

describe('InvariantChecker', () => {
  it('refuses an app item written with a lower fencing token than one seen before', () => {
    const checker = new InvariantChecker(new Truth());
    expect(checker.check(input(app([], 'primary', 3)))).toEqual([]);
    expect(checker.check(input(app([], 'primary', 4)))).toEqual([]);
    expect(checker.check(input(app([], 'primary', 2))).map((v) => v.invariant)).toEqual([
      'fencing-token-grows',
    ]);
  });

  it('passes a failover that restored, then switched, then recorded it', () => {
    expect(
      run(
        (t) => {
          t.job('j1', 'F1-db');
          t.site = 'recovery';
        },
        app([failover({ phase: 'switching' })], 'primary'),
      ),
    ).toEqual([]);
  });

  it.each([
    {
      invariant: 'own-job',
      why: 'a step succeeded while its job still runs',
      truth: (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 }),
      state: app([failover({ phase: 'validating', steps: [restore()] })], 'primary'),
    },
    {
      invariant: 'own-job',
      why: "a step records another failover's job",
      truth: (t: Truth) => {
        t.job('j0', 'F0-db');
        t.job('j1', 'F1-db');
      },
      state: app(
        [
          failover({
            id: 'F0',
            phase: 'failed',
            steps: [restore({ idempotencyToken: 'F0-db', jobId: 'j0', status: 'failed' })],
          }),
          failover({ phase: 'validating', steps: [restore({ jobId: 'j0' })] }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'own-job',
      why: 'a step succeeded without a job',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app([failover({ phase: 'validating', steps: [restore({ jobId: null })] })], 'primary'),
    },
    {
      invariant: 'no-job-after-end',
      why: 'a job started for a failover that had already failed',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [failover({ phase: 'failed', steps: [restore({ status: 'failed', jobId: null })] })],
        'primary',
      ),
    },
    {
      invariant: 'job-owned',
      why: 'a job started with a token no failover holds',
      truth: (t: Truth) => t.job('j9', 'nobody-db'),
      state: app([], 'primary'),
    },
    {
      invariant: 'approval-before-effect',
      why: 'a restore started before any approval of its failover',
      truth: (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 }),
      state: app(
        [
          failover({
            phase: 'restoring',
            steps: [restore({ status: 'running' })],
            approval: { expiresAt: at(1800), onTimeout: 'proceed' },
          }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'switch-after-restores',
      why: 'traffic moved while a restore still ran',
      truth: (t: Truth) => {
        t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 });
        t.site = 'recovery';
      },
      state: app([failover({ phase: 'switching', steps: [restore({ status: 'running' })] })], 'primary'),
    },
    {
      invariant: 'stored-site',
      why: 'a failover recorded failed while traffic is on the recovery site',
      truth: (t: Truth) => {
        t.job('j1', 'F1-db');
        t.site = 'recovery';
      },
      state: app([failover({ phase: 'failed' })], 'primary'),
    },
    {
      invariant: 'never-both-off',
      why: 'no site receives traffic',
      truth: (t: Truth) => {
        t.site = 'none';
      },
      state: app([], 'primary'),
    },
    {
      invariant: 'one-in-flight',
      why: 'two failovers in flight',
      truth: () => {},
      state: app(
        [failover({ id: 'F0', phase: 'restoring', steps: [] }), failover({ phase: 'restoring', steps: [] })],
        'primary',
      ),
    },
    {
      invariant: 'history-order',
      why: 'a phase change recorded before the one it follows',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [
          failover({
            phase: 'validating',
            history: [
              { phase: 'restoring', at: at(10) },
              { phase: 'validating', at: at(5) },
            ],
          }),
        ],
        'primary',
      ),
    },
    {
      invariant: 'one-failover-per-alarm',
      why: 'one ALARM fact started two failovers',
      truth: (t: Truth) => t.job('j1', 'F1-db'),
      state: app(
        [failover({ id: 'F0', phase: 'failed', steps: [] }), failover({ phase: 'validating' })],
        'primary',
      ),
    },
  ])('reports $invariant when $why', ({ invariant, truth, state }) => {
    expect(run(truth, state)).toContain(invariant);
  });

  it('reports restore-once when a failover starts a second job for one resource under a new token', () => {
    const truth = new Truth();
    const checker = new InvariantChecker(truth);
    truth.job('j1', 'F1-db-a', 'db', { endsAt: T0 + 999_000 });
    const running = (token: string, jobId: string) =>
      app(
        [
          failover({
            phase: 'restoring',
            steps: [restore({ status: 'running', idempotencyToken: token, jobId })],
          }),
        ],
        'primary',
      );
    expect(checker.check(input(running('F1-db-a', 'j1')))).toEqual([]);
    truth.job('j2', 'F1-db-b', 'db', { endsAt: T0 + 999_000 });
    expect(checker.check(input(running('F1-db-b', 'j2'))).map((v) => v.invariant)).toContain('restore-once');
  });

  it('accepts an effect after the approval was delivered, or once a proceed timeout has passed', () => {
    const waiting = app(
      [
        failover({
          phase: 'restoring',
          steps: [restore({ status: 'running' })],
          approval: { expiresAt: at(100), onTimeout: 'proceed' },
        }),
      ],
      'primary',
    );
    const started = (t: Truth) => t.job('j1', 'F1-db', 'db', { endsAt: T0 + 999_000 });
    expect(run(started, waiting, { approved: new Set(['F1']) })).toEqual([]);
    expect(run(started, waiting, { now: T0 + 100_000 })).toEqual([]);
  });
});

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
