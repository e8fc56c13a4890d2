import { describe, expect, it } from 'vitest';
import { expireKeptResources, keptKey, nextKeptExpiry } from '#shared/application/expire-kept-resources.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { Purpose } from '#shared/domain/failover.ts';
import type { KeptRecord } from '#shared/domain/kept-resources.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';
import { InterleavingStore } from '../../support/interleaving-store.ts';

const HOUR = 3600;
const kept = (keepFor = '1h') =>
  drillable((d) => {
    d.spec.drill = { keep: true, keepFor };
  });

async function keptDrill(eventId = 'd1', w = engineWorld()) {
  const plan = kept();
  const c = w.controller();
  await requestDrill(c, plan, { kind: 'manual', ref: 'cli', eventId });
  expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
  const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
  return { w, plan, c, drill };
}
const record = async (w: ReturnType<typeof engineWorld>, drillId: string) =>
  (await w.store.get<KeptRecord & { settled?: boolean }>(keptKey('case-management', drillId)))!;

describe('nextKeptExpiry', () => {
  it('knows no expiry before anything is kept, then the earliest of the records not settled', async () => {
    const first = await keptDrill('d1');
    const { w, plan, c } = first;
    expect(await nextKeptExpiry(w.store, plan.name)).toBeUndefined();
    await expireKeptResources(c, plan);
    const firstExpiry = new Date(Date.parse(first.drill.endedAt!) + HOUR * 1000);
    expect(await nextKeptExpiry(w.store, plan.name)).toEqual(firstExpiry);

    w.clock.advance(10 * 60);
    const second = await keptDrill('d2', w);
    await expireKeptResources(c, plan);
    expect(await nextKeptExpiry(w.store, plan.name)).toEqual(firstExpiry);

    w.clock.advanceTo(firstExpiry);
    await expireKeptResources(c, plan);
    expect(await nextKeptExpiry(w.store, plan.name)).toEqual(
      new Date(Date.parse(second.drill.endedAt!) + HOUR * 1000),
    );
  });
});

describe('expireKeptResources, each rule', () => {
  it('registers nothing for a drill still in flight', async () => {
    const w = engineWorld();
    const plan = kept();
    const c = w.controller();
    await requestDrill(c, plan, { kind: 'manual', ref: 'cli', eventId: 'd1' });
    expect(await expireKeptResources(c, plan)).toEqual([]);
    expect(await w.store.query('app#case-management', 'kept#')).toEqual([]);
  });

  it('deletes each resource as the drill restored it, and keeps a settled record 90 days', async () => {
    const { w, plan, c, drill } = await keptDrill();
    const asked: [string, string][] = [];
    const cleaner: RestoredResourceCleaner = {
      delete: async (resource: ProtectedResource, created: string) => {
        const restore = resource.source.kind === 'aws-backup' ? resource.source.restore?.metadata : undefined;
        asked.push([`${resource.name} as ${restore?.['DBInstanceIdentifier']}`, created]);
        return { state: 'deleted' as const, detail: `deleted ${created}` };
      },
    };
    await expireKeptResources(c, plan);
    w.clock.advance(HOUR);
    expect(await expireKeptResources({ ...c, cleaner }, plan)).toEqual([
      { drillId: drill.id, deleted: ['case-db-restored', 'case-api-restored'], failed: [], settled: true },
    ]);
    // The drill's names, never the production restore's (case-db-dr).
    expect(asked).toEqual([
      ['case-db as case-db-drill', 'case-db-restored'],
      ['case-api as case-api-drill', 'case-api-restored'],
    ]);
    expect((await record(w, drill.id)).expiresAt).toEqual(
      new Date(w.clock.now().getTime() + 90 * 86_400_000),
    );
  });

  it('records each delete as failed, saying why, without a cleaner or for a resource the plan dropped', async () => {
    const { w, plan, c, drill } = await keptDrill();
    await expireKeptResources(c, plan);
    w.clock.advance(HOUR);
    const { cleaner: _cleaner, ...withoutCleaner } = c;
    expect(await expireKeptResources(withoutCleaner, plan)).toEqual([
      { drillId: drill.id, deleted: [], failed: ['case-db-restored', 'case-api-restored'], settled: false },
    ]);
    expect((await record(w, drill.id)).value.resources.map((r) => r.lastError)).toEqual([
      'no clean-up of restored resources is configured',
      'no clean-up of restored resources is configured',
    ]);
    const dropped = { ...plan, resources: plan.resources.filter((r) => r.name === 'case-db') };
    w.clock.advance(HOUR);
    await expireKeptResources(c, dropped);
    // With its cleaner back, case-db goes; case-api, dropped from the plan, cannot.
    expect(
      (await record(w, drill.id)).value.resources.map((r) => [r.createdResource, r.lastError ?? null]),
    ).toEqual([
      ['case-db-restored', null],
      ['case-api-restored', 'case-api is no longer in the plan'],
    ]);
  });

  it('fails on a store error other than a lost race, registering or recording', async () => {
    const { w, plan } = await keptDrill();
    const failing = new InterleavingStore(w.store).at('create', 'kept#', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(expireKeptResources(w.controller('controller-a', failing), plan)).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
    await expireKeptResources(w.controller(), plan);
    w.clock.advance(HOUR);
    const failingUpdate = new InterleavingStore(w.store).at('update', 'kept#', 1, async () => {}, {
      when: 'before',
      fail: new Error('ProvisionedThroughputExceeded'),
    });
    await expect(expireKeptResources(w.controller('controller-a', failingUpdate), plan)).rejects.toThrow(
      'ProvisionedThroughputExceeded',
    );
  });
});
