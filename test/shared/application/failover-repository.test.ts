/**
 * Where a failover lives (failover-repository.ts): the app item's keys and initial state, conditional
 * and fenced writes, the evidence each write puts on the chain, claims (archive, trigger facts) and the
 * app state that follows a failover. The applyEvents contract is in failover-repository.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readChain } from '#shared/application/evidence-log.ts';
import {
  type AppState,
  appKeys,
  claimFailover,
  HANDLED_TRIGGERS_KEPT,
  INITIAL_APP_STATE,
  listArchived,
  listNotifications,
  readApp,
  withFailover,
  writeApp,
} from '#shared/application/failover-repository.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { LeaseLostError } from '#shared/application/lease.ts';
import { ConflictError } from '#shared/domain/errors.ts';
import type { Failover } from '#shared/domain/failover.ts';
import { at, F1, inPhase, probed, restored, run, start, startDrill } from '../../support/failovers.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const APP = 'case-management';
const noRouting = () =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      delete d.spec.routing;
    }),
  );
const refs = async (store: InMemoryStateStore) => (await readChain(store, APP)).map((r) => r.value.ref);
/** Stores `state` as the app item, as a writer that died before its evidence write would have left it. */
const stored = async (store: InMemoryStateStore, state: AppState) =>
  store.create(appKeys.current(APP, state.failover?.purpose), state);

describe('app keys', () => {
  it('names every item of an application in its partition, by purpose, start and id', () => {
    const f = start();
    expect(appKeys.current(APP)).toEqual({ partition: 'app#case-management', sort: 'current' });
    expect(appKeys.current(APP, 'drill')).toEqual({ partition: 'app#case-management', sort: 'drill' });
    expect(appKeys.archived(APP, f)).toEqual({
      partition: 'app#case-management',
      sort: 'failover#2026-11-21T12:00:00.000Z#f1',
    });
    expect(appKeys.archived(APP, startDrill(undefined, 'd7'))).toEqual({
      partition: 'app#case-management',
      sort: 'drill#2026-11-21T12:00:00.000Z#d7',
    });
    expect(appKeys.event(APP, 'ev-1')).toEqual({ partition: 'app#case-management', sort: 'event#ev-1' });
    expect(appKeys.notification(APP, '2026-11-21T12:00:00.000Z', 'f1', 2)).toEqual({
      partition: 'app#case-management',
      sort: 'notification#2026-11-21T12:00:00.000Z#f1#2',
    });
  });
});

describe('readApp', () => {
  it('reads an application never written as on the primary, without failover, cooldown or token', async () => {
    const store = new InMemoryStateStore();
    expect(await readApp(store, APP)).toEqual({
      state: { activeSite: 'primary', failover: null, lastCompletedAt: null, fencingToken: 0 },
      version: undefined,
    });
    expect(INITIAL_APP_STATE).toEqual({
      activeSite: 'primary',
      failover: null,
      lastCompletedAt: null,
      fencingToken: 0,
    });
  });
});

describe('writeApp', () => {
  it('creates the item when none was read, then updates it only at the version read', async () => {
    const store = new InMemoryStateStore();
    const first = await writeApp(store, APP, await readApp(store, APP), {
      ...INITIAL_APP_STATE,
      fencingToken: 1,
    });
    expect(first.version).toBe(1);
    const read = await readApp(store, APP);
    await writeApp(store, APP, read, { ...read.state, fencingToken: 2 });
    await expect(writeApp(store, APP, read, { ...read.state, fencingToken: 2 })).rejects.toThrow(
      ConflictError,
    );
    expect(await readApp(store, APP)).toEqual({
      state: { ...INITIAL_APP_STATE, fencingToken: 2 },
      version: 2,
    });
  });

  it('writes a state without a failover to the failover item and puts nothing on the chain', async () => {
    const store = new InMemoryStateStore();
    await writeApp(store, APP, await readApp(store, APP), { ...INITIAL_APP_STATE, fencingToken: 3 });
    expect((await store.get(appKeys.current(APP)))?.value).toMatchObject({ fencingToken: 3 });
    expect(await store.get(appKeys.current(APP, 'drill'))).toBeUndefined();
    expect(await refs(store)).toEqual([]);
  });

  it('refuses for good a writer whose token a newer holder overtook, leaving the item as it was', async () => {
    const store = new InMemoryStateStore();
    await stored(store, { ...INITIAL_APP_STATE, failover: start(), fencingToken: 5 });
    const read = await readApp(store, APP);
    await expect(writeApp(store, APP, read, { ...read.state, fencingToken: 4 })).rejects.toThrow(
      LeaseLostError,
    );
    expect(await readApp(store, APP)).toEqual(read);
  });

  it('puts what the failover did on the chain once written, and catches up the one it replaced', async () => {
    const store = new InMemoryStateStore();
    // f1 ended, but its writer died before its evidence write.
    await stored(store, { ...INITIAL_APP_STATE, failover: inPhase.failed });
    expect(await refs(store)).toEqual([]);
    const f2 = start(undefined, 'f2');
    await claimFailover(store, await readApp(store, APP), f2);
    expect(await refs(store)).toEqual(['failover/f1/phase/0', 'failover/f1/phase/1', 'failover/f2/phase/0']);
  });
});

describe('claimFailover', () => {
  it('archives the previous failover under its own key and records the trigger fact in the same write', async () => {
    const store = new InMemoryStateStore();
    const f1 = inPhase.failed;
    await stored(store, { ...INITIAL_APP_STATE, failover: f1, handledTriggers: ['e0', 'e1'] });
    const f2 = {
      ...start(undefined, 'f2'),
      trigger: { kind: 'alarm', ref: 'arn:alarm', eventId: 'e2' },
    } as const;
    await claimFailover(store, await readApp(store, APP), f2);
    expect(await listArchived(store, APP)).toEqual([f1]);
    expect(await readApp(store, APP)).toEqual({
      state: { ...INITIAL_APP_STATE, failover: f2, handledTriggers: ['e0', 'e1', 'e2'] },
      version: 2,
    });
  });

  it('records the first trigger fact of an application on its own', async () => {
    const store = new InMemoryStateStore();
    await claimFailover(store, await readApp(store, APP), start());
    expect((await readApp(store, APP)).state.handledTriggers).toEqual(['e1']);
    expect(await listArchived(store, APP)).toEqual([]);
  });

  it(`keeps the newest ${HANDLED_TRIGGERS_KEPT} trigger facts, dropping the oldest`, async () => {
    expect(HANDLED_TRIGGERS_KEPT).toBe(32);
    const store = new InMemoryStateStore();
    const facts = Array.from({ length: 32 }, (_, i) => `old-${i}`);
    await stored(store, { ...INITIAL_APP_STATE, failover: inPhase.failed, handledTriggers: facts });
    await claimFailover(store, await readApp(store, APP), start(undefined, 'f2'));
    expect((await readApp(store, APP)).state.handledTriggers).toEqual([...facts.slice(1), 'e1']);
  });

  it('takes an archive an earlier attempt already wrote (a lost race, then a retry)', async () => {
    const store = new InMemoryStateStore();
    const f1 = inPhase.failed;
    await stored(store, { ...INITIAL_APP_STATE, failover: f1 });
    await store.create(appKeys.archived(APP, f1), f1);
    await claimFailover(store, await readApp(store, APP), start(undefined, 'f2'));
    expect((await readApp(store, APP)).state.failover?.id).toBe('f2');
    expect(await listArchived(store, APP)).toEqual([f1]);
  });

  it('claims nothing when archiving fails for another reason than an archive already there', async () => {
    const store = new InterleavingStore(new InMemoryStateStore());
    await store.inner.create(appKeys.current(APP), { ...INITIAL_APP_STATE, failover: inPhase.failed });
    store.at('create', 'failover#', 1, async () => {}, { when: 'before', fail: new Error('throttled') });
    await expect(claimFailover(store, await readApp(store, APP), start(undefined, 'f2'))).rejects.toThrow(
      'throttled',
    );
    expect((await readApp(store, APP)).state.failover?.id).toBe('f1');
  });

  it('refuses a claim on a version another writer moved past', async () => {
    const store = new InMemoryStateStore();
    const read = await readApp(store, APP);
    await claimFailover(store, read, start());
    await expect(claimFailover(store, read, start(undefined, 'f2'))).rejects.toThrow(ConflictError);
    expect((await readApp(store, APP)).state.failover?.id).toBe('f1');
  });
});

describe('listNotifications and listArchived', () => {
  it('read only their own items of the application, oldest first', async () => {
    const store = new InMemoryStateStore();
    const n = (i: number) => ({ kind: 'approval-request', failoverId: 'f1', delivered: i === 2 });
    await store.create(appKeys.notification(APP, '2026-11-21T12:00:02.000Z', 'f1', 0), n(2));
    await store.create(appKeys.notification(APP, '2026-11-21T12:00:01.000Z', 'f1', 0), n(1));
    await store.create(appKeys.notification('other-app', '2026-11-21T12:00:00.000Z', 'f1', 0), n(0));
    const drill = startDrill(undefined, 'd1');
    await store.create(appKeys.archived(APP, drill), drill);
    await store.create(appKeys.archived(APP, inPhase.failed), inPhase.failed);
    expect(await listNotifications(store, APP)).toEqual([n(1), n(2)]);
    expect(await listArchived(store, APP)).toEqual([inPhase.failed]);
    expect(await listArchived(store, APP, 'drill')).toEqual([drill]);
  });
});

describe('withFailover', () => {
  const switching = () => probed(restored(start()));
  const completedWithoutRouting = (): Failover => probed(restored(start(noRouting())));
  const base: AppState = { ...INITIAL_APP_STATE, fencingToken: 4 };
  // Each row: the state before, the failover written, the writer's token → site, cooldown start, token.
  const rows: [string, AppState, () => Failover, number | undefined, Partial<AppState>][] = [
    [
      'a first failover',
      INITIAL_APP_STATE,
      start,
      undefined,
      { activeSite: 'primary', lastCompletedAt: null, fencingToken: 0 },
    ],
    [
      'a completion that switched traffic',
      { ...base, failover: switching() },
      () => inPhase.completed,
      7,
      { activeSite: 'recovery', lastCompletedAt: at(1301).toISOString(), fencingToken: 7 },
    ],
    [
      'a completion without routing (its switch skipped)',
      { ...base, failover: restored(start(noRouting())) },
      completedWithoutRouting,
      undefined,
      { activeSite: 'primary', lastCompletedAt: at(1300).toISOString(), fencingToken: 4 },
    ],
    [
      'a failed failover',
      { ...base, failover: start(), lastCompletedAt: '2026-11-01T00:00:00.000Z' },
      () => inPhase.failed,
      undefined,
      { activeSite: 'primary', lastCompletedAt: '2026-11-01T00:00:00.000Z', fencingToken: 4 },
    ],
    [
      'a state stored before tokens were kept',
      { activeSite: 'primary', failover: null, lastCompletedAt: null } as unknown as AppState,
      start,
      undefined,
      { fencingToken: 0 },
    ],
  ];
  it.each(rows)('after %s', (_name, state, failover, token, expected) => {
    const f = failover();
    const next = withFailover(state, f, token);
    expect(next).toEqual({ ...state, failover: f, ...expected });
  });

  it('counts a completion whatever the failover replaced', () => {
    const completed = inPhase.completed;
    expect(withFailover(INITIAL_APP_STATE, completed)).toMatchObject({
      activeSite: 'recovery',
      lastCompletedAt: completed.endedAt,
    });
  });

  it('needs the switch step itself to have succeeded: a succeeded restore moves no traffic', () => {
    const f = completedWithoutRouting();
    expect(f.phase).toBe('completed');
    expect(f.steps.filter((s) => s.status === 'succeeded').map((s) => s.kind)).toEqual([
      'restore',
      'restore',
      'validate',
    ]);
    expect(f.steps.find((s) => s.kind === 'switch')?.status).toBe('skipped');
    expect(withFailover(INITIAL_APP_STATE, f).activeSite).toBe('primary');
  });

  it('moves nothing for a failover that ends before switching', () => {
    const aborted = run(start(), { type: 'abort', ...F1, at: at(5), reason: 'operator' });
    expect(withFailover(base, aborted)).toEqual({ ...base, failover: aborted });
  });
});
