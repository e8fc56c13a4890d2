/**
 * The contract of applyEvents (failover-repository.ts): ONE conditional write per batch, successes
 * applied before failures, a lost race re-read and re-applied (at most 8 attempts), a superseded lease
 * holder refused for good, and events scoped to their failover.
 */
import { describe, expect, it } from 'vitest';
import {
  type AppState,
  appKeys,
  applyEvents,
  INITIAL_APP_STATE,
  readApp,
} from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { LeaseLostError } from '#shared/application/lease.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { Failover, FailoverEvent } from '#shared/domain/failover.ts';
import { at, F1, probed, restored, run, start } from '../../support/failovers.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const APP = 'case-management';
const DB = 'restore:case-db';
const API = 'restore:case-api';

/** Two restores without dependencies; two probes of one attempt each. */
const plan = loadPlan(
  withPlan(awsPlanDoc(), (d) => {
    for (const r of d.spec.resources as { dependsOn?: string[] }[]) r.dependsOn = [];
    d.spec.validate = [
      { http: { url: 'https://case-api.dr.example.com/health', attempts: 1 } },
      { http: { url: 'https://case-web.dr.example.com/health', attempts: 1 } },
    ];
  }),
);

const e = {
  requested: (step: string, s: number): FailoverEvent => ({
    type: 'restore-requested',
    ...F1,
    step,
    at: at(s),
  }),
  started: (step: string, s: number): FailoverEvent => ({
    type: 'restore-started',
    ...F1,
    step,
    jobId: `job-${step}`,
    at: at(s),
  }),
  startFailed: (step: string, s: number): FailoverEvent => ({
    type: 'restore-start-failed',
    ...F1,
    step,
    at: at(s),
    reason: 'ThrottlingException',
  }),
  succeeded: (step: string, s: number): FailoverEvent => ({
    type: 'restore-succeeded',
    ...F1,
    step,
    jobId: `job-${step}`,
    at: at(s),
  }),
  failed: (step: string, s: number): FailoverEvent => ({
    type: 'restore-failed',
    ...F1,
    step,
    jobId: `job-${step}`,
    at: at(s),
    reason: 'snapshot corrupt',
  }),
  probeRequested: (step: string, s: number): FailoverEvent => ({
    type: 'probe-requested',
    ...F1,
    step,
    at: at(s),
  }),
  passed: (step: string, s: number): FailoverEvent => ({
    type: 'probe-passed',
    ...F1,
    step,
    at: at(s),
    detail: '200',
  }),
  probeFailed: (step: string, s: number): FailoverEvent => ({
    type: 'probe-failed',
    ...F1,
    step,
    at: at(s),
    reason: '503',
    attempt: 1,
  }),
  switchRequested: (s: number): FailoverEvent => ({ type: 'switch-requested', ...F1, at: at(s) }),
  switchFailed: (s: number, attempt: number): FailoverEvent => ({
    type: 'switch-failed',
    ...F1,
    at: at(s),
    reason: 'AccessDenied',
    attempt,
  }),
  switched: (s: number): FailoverEvent => ({ type: 'switched', ...F1, at: at(s), detail: 'switched' }),
  abort: (s: number): FailoverEvent => ({ type: 'abort', ...F1, at: at(s), reason: 'operator' }),
};

/** Both restores running with their jobs. */
const bothRunning = () =>
  run(start(plan), e.requested(DB, 1), e.started(DB, 1), e.requested(API, 1), e.started(API, 1));
/** The db restore on its third and last start, unanswered; the api restore running with its job. */
const dbOnLastStart = () =>
  run(
    start(plan),
    e.requested(API, 1),
    e.started(API, 1),
    e.requested(DB, 1),
    e.startFailed(DB, 1),
    e.requested(DB, 12),
    e.startFailed(DB, 12),
    e.requested(DB, 23),
  );
/** Validating, both probes running. */
const probesRunning = () =>
  run(restored(start(plan)), e.probeRequested('validate:1', 1300), e.probeRequested('validate:2', 1300));
/** Switching, the switch on its third and last attempt. */
const lastSwitch = () =>
  run(
    probed(restored(start())),
    e.switchRequested(1301),
    e.switchFailed(1301, 1),
    e.switchRequested(1312),
    e.switchFailed(1312, 2),
    e.switchRequested(1323),
  );

async function storeWith(failover: Failover, extra: Partial<AppState> = {}) {
  const store = new InMemoryStateStore();
  await store.create(appKeys.current(APP), { ...INITIAL_APP_STATE, failover, ...extra });
  return store;
}
const phases = (f: Failover) => f.history.map((h) => h.phase);
const statusOf = (f: Failover, name: string) => f.steps.find((s) => s.name === name)?.status;

describe('applyEvents: successes go before failures, whatever order the batch came in', () => {
  // Each failure kind is listed first in its batch; the success beside it must be on record all the same.
  const cases: [string, () => Failover, FailoverEvent[], (f: Failover) => unknown, unknown][] = [
    [
      'restore-failed',
      bothRunning,
      [e.failed(DB, 600), e.succeeded(API, 600)],
      (f) => ({ phases: phases(f), api: statusOf(f, API) }),
      { phases: ['restoring', 'failed'], api: 'succeeded' },
    ],
    [
      'restore-start-failed',
      dbOnLastStart,
      [e.startFailed(DB, 30), e.succeeded(API, 30)],
      (f) => ({ phases: phases(f), api: statusOf(f, API) }),
      { phases: ['restoring', 'failed'], api: 'succeeded' },
    ],
    [
      'probe-failed',
      probesRunning,
      [e.probeFailed('validate:1', 1310), e.passed('validate:2', 1310)],
      (f) => ({ phase: f.phase, second: statusOf(f, 'validate:2') }),
      { phase: 'failed', second: 'succeeded' },
    ],
    [
      'abort',
      probesRunning,
      [e.abort(1310), e.passed('validate:2', 1310)],
      (f) => ({ phase: f.phase, second: statusOf(f, 'validate:2') }),
      { phase: 'aborted', second: 'succeeded' },
    ],
  ];
  it.each(cases)('applies the success beside a %s first', async (_kind, failover, events, view, expected) => {
    const store = await storeWith(failover());
    const result = await applyEvents(store, APP, events);
    expect(result).toMatchObject({ ok: true, refusals: [] });
    const stored = (await readApp(store, APP)).state.failover!;
    expect(view(stored)).toEqual(expected);
  });

  it('records a switch reported done beside a last failed attempt as done: the switch-failed comes after', async () => {
    const store = await storeWith(lastSwitch());
    const result = await applyEvents(store, APP, [e.switchFailed(1330, 3), e.switched(1330)]);
    expect(result).toEqual({
      ok: true,
      failover: expect.objectContaining({ phase: 'completed' }),
      refusals: ['a completed failover does not accept switch-failed'],
    });
    expect((await readApp(store, APP)).state).toMatchObject({ activeSite: 'recovery' });
  });

  it('keeps the order of the events of one kind (successes in turn, then failures in turn)', async () => {
    const store = await storeWith(start(plan));
    const result = await applyEvents(store, APP, [e.requested(DB, 1), e.started(DB, 1), e.requested(API, 2)]);
    expect(result).toMatchObject({ ok: true, refusals: [] });
    const f = (await readApp(store, APP)).state.failover!;
    expect(f.steps.slice(0, 2)).toMatchObject([
      { name: DB, status: 'running', jobId: `job-${DB}` },
      { name: API, status: 'running', jobId: null },
    ]);
  });
});

describe('applyEvents: refusals', () => {
  it('says an application without a failover has none, writing nothing', async () => {
    const store = new InMemoryStateStore();
    expect(await applyEvents(store, APP, [e.abort(1)])).toEqual({
      ok: false,
      reason: 'case-management has no failover',
    });
    expect(await readApp(store, APP)).toEqual({ state: INITIAL_APP_STATE, version: undefined });
  });

  it('writes nothing when every event is refused, and gives every reason', async () => {
    const store = await storeWith(start(plan));
    const result = await applyEvents(store, APP, [e.succeeded(DB, 5), { ...e.abort(5), failoverId: 'f0' }]);
    expect(result).toEqual({
      ok: false,
      reason:
        'job job-restore:case-db is not the job of step restore:case-db (none recorded); the event is for failover f0; this is failover f1',
    });
    expect((await readApp(store, APP)).version).toBe(1);
  });

  it('writes the events that apply and lists the others as refusals', async () => {
    const store = await storeWith(start(plan));
    const result = await applyEvents(store, APP, [e.requested(DB, 1), e.probeRequested('validate:1', 1)]);
    expect(result).toMatchObject({
      ok: true,
      refusals: ['a restoring failover does not accept probe-requested'],
    });
    expect(await readApp(store, APP)).toMatchObject({ version: 2 });
  });
});

describe('applyEvents: lost races and fencing', () => {
  it('re-reads after a lost race and applies its events on the version the other writer wrote', async () => {
    const store = new InterleavingStore(await storeWith(bothRunning()));
    // Another writer records the db job's end between this writer's read and its write.
    store.at(
      'update',
      'current',
      1,
      () => applyEvents(store.inner, APP, [e.succeeded(DB, 600)]).then(() => {}),
      {
        when: 'before',
      },
    );
    const result = await applyEvents(store, APP, [e.succeeded(API, 600)]);
    expect(result).toMatchObject({ ok: true, refusals: [] });
    const f = (await readApp(store, APP)).state.failover!;
    expect([statusOf(f, DB), statusOf(f, API), f.phase]).toEqual(['succeeded', 'succeeded', 'validating']);
  });

  it('refuses the events when the failover they name was replaced meanwhile', async () => {
    const store = new InterleavingStore(await storeWith(bothRunning()));
    store.at(
      'update',
      'current',
      1,
      async () => {
        const read = await readApp(store.inner, APP);
        await store.inner.update(
          appKeys.current(APP),
          { ...read.state, failover: start(plan, 'f2') },
          read.version!,
        );
      },
      { when: 'before' },
    );
    expect(await applyEvents(store, APP, [e.succeeded(API, 600)])).toEqual({
      ok: false,
      reason: 'the event is for failover f1; this is failover f2',
    });
    expect((await readApp(store, APP)).state.failover?.id).toBe('f2');
  });

  it('gives up after 8 lost races, naming the events and the application', async () => {
    const store = new InterleavingStore(await storeWith(bothRunning()));
    for (let i = 0; i < 8; i++)
      store.at('update', 'current', 1, async () => {}, { when: 'before', fail: new ConflictError('moved') });
    await expect(applyEvents(store, APP, [e.succeeded(API, 600), e.abort(600)])).rejects.toThrow(
      new ConflictError('could not record restore-succeeded, abort for case-management after 8 attempts'),
    );
    expect((await readApp(store, APP)).version).toBe(1);
  });

  it('writes on the eighth attempt after seven lost races', async () => {
    const store = new InterleavingStore(await storeWith(bothRunning()));
    for (let i = 0; i < 7; i++)
      store.at('update', 'current', 1, async () => {}, { when: 'before', fail: new ConflictError('moved') });
    expect(await applyEvents(store, APP, [e.succeeded(API, 600)])).toMatchObject({ ok: true });
    expect((await readApp(store, APP)).version).toBe(2);
  });

  it('passes any other store failure on at once, without trying again', async () => {
    const store = new InterleavingStore(await storeWith(bothRunning()));
    store.at('update', 'current', 1, async () => {}, { when: 'before', fail: new Error('throttled') });
    store.at('update', 'current', 1, async () => {}, { when: 'before', fail: new Error('second attempt') });
    await expect(applyEvents(store, APP, [e.succeeded(API, 600)])).rejects.toThrow('throttled');
  });

  it('refuses for good a holder whose lease a newer holder took: LEASE_LOST, never retried', async () => {
    const store = await storeWith(bothRunning(), { fencingToken: 6 });
    const error = await applyEvents(store, APP, [e.succeeded(API, 600)], 5).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect((await readApp(store, APP)).version).toBe(1);
  });

  it('writes the holder’s own token with the events', async () => {
    const store = await storeWith(bothRunning(), { fencingToken: 6 });
    await applyEvents(store, APP, [e.succeeded(API, 600)], 7);
    expect((await readApp(store, APP)).state.fencingToken).toBe(7);
  });

  it('applies a drill’s events to the drill item, leaving the failover item alone', async () => {
    const store = new InMemoryStateStore();
    const drill = { ...bothRunning(), purpose: 'drill' as const };
    await store.create(appKeys.current(APP, 'drill'), { ...INITIAL_APP_STATE, failover: drill });
    expect(await applyEvents(store, APP, [e.succeeded(API, 600)])).toEqual({
      ok: false,
      reason: 'case-management has no failover',
    });
    expect(await applyEvents(store, APP, [e.succeeded(API, 600)], undefined, 'drill')).toMatchObject({
      ok: true,
    });
    expect(statusOf((await readApp(store, APP, 'drill')).state.failover!, API)).toBe('succeeded');
  });
});
