import { describe, expect, it } from 'vitest';
import { advanceApp } from '#shared/application/advance-all.ts';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { readChain } from '#shared/application/evidence-log.ts';
import { evidenceReport } from '#shared/application/evidence-report.ts';
import { expireKeptResources, keptKey } from '#shared/application/expire-kept-resources.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { requestFailover } from '#shared/application/request-failover.ts';
import { Purpose } from '#shared/domain/failover.ts';
import type { KeptRecord } from '#shared/domain/kept-resources.ts';
import { drillable } from '../../support/drills.ts';
import { engineWorld } from '../../support/engine-world.ts';

const manual = { kind: 'manual', ref: 'cli', eventId: 'd1' } as const;
const alarm = { kind: 'alarm', ref: 'arn:alarm', eventId: 'e1' } as const;
const HOUR = 3600;
const CREATED = ['case-db-restored', 'case-api-restored'];

/** A world whose drill of the kept plan ran to its end; `keepFor` as the plan says. */
async function keptDrill(
  options: { keepFor?: string; undeletable?: string[]; slowDeletes?: Record<string, number> } = {},
) {
  const w = engineWorld({ undeletable: options.undeletable ?? [], slowDeletes: options.slowDeletes ?? {} });
  const plan = drillable((d) => {
    d.spec.drill = { keep: true, ...(options.keepFor ? { keepFor: options.keepFor } : {}) };
  });
  const c = w.controller();
  await requestDrill(c, plan, manual);
  expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
  const drill = (await readAppState(w.store, plan.name, Purpose.Drill)).failover!;
  return { w, plan, c, drill };
}

const cleanupRecords = async (w: ReturnType<typeof engineWorld>, app: string) =>
  (await readChain(w.store, app)).map((r) => r.value).filter((r) => r.kind === 'cleanup');

describe('expireKeptResources: what a drill kept goes at its expiry', () => {
  it('keeps everything for 1 day by default, then deletes each created resource once and records it', async () => {
    const { w, plan, c, drill } = await keptDrill();
    expect(drill.phase).toBe('completed');
    await advanceApp(c, plan);
    w.clock.advance(24 * HOUR - 1);
    await advanceApp(c, plan);
    expect(w.cleaner.deleted).toEqual([]);

    w.clock.advance(1);
    await advanceApp(c, plan);
    expect(w.cleaner.deleted).toEqual(CREATED);
    const [cleanup, ...more] = await cleanupRecords(w, plan.name);
    expect(more).toEqual([]);
    expect(cleanup).toMatchObject({
      ref: `drill/${drill.id}/cleanup`,
      at: w.clock.now().toISOString(),
      data: {
        drillId: drill.id,
        keptUntil: new Date(Date.parse(drill.endedAt!) + 24 * HOUR * 1000).toISOString(),
        deleted: CREATED,
        leftBehind: [],
      },
    });

    w.clock.advance(HOUR);
    expect(await expireKeptResources(c, plan)).toEqual([]);
    expect(w.cleaner.deleted).toEqual(CREATED);
  });

  it('shows on the evidence report: kept until, then deleted', async () => {
    const { w, plan, c, drill } = await keptDrill({ keepFor: '1h' });
    const keptUntil = new Date(Date.parse(drill.endedAt!) + HOUR * 1000).toISOString();
    let [report] = await evidenceReport(c, [plan]);
    expect(report?.drills[0]).toMatchObject({ drillId: 'f1', keptUntil, leftBehind: CREATED });
    expect(report?.drills[0]?.cleanup).toBeUndefined();
    w.clock.advance(HOUR);
    await expireKeptResources(c, plan);
    [report] = await evidenceReport(c, [plan]);
    expect(report?.drills[0]?.cleanup).toEqual({
      at: w.clock.now().toISOString(),
      deleted: CREATED,
      leftBehind: [],
    });
    expect(report?.chain).toMatchObject({ ok: true });
  });

  it('follows spec.drill.keepFor', async () => {
    const { w, plan, c } = await keptDrill({ keepFor: '2h' });
    w.clock.advance(2 * HOUR - 60);
    expect(await expireKeptResources(c, plan)).toEqual([]);
    w.clock.advance(60);
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: CREATED, failed: [], settled: true },
    ]);
  });

  it('tries a failing delete three times, one per sweep, then leaves it named with its error', async () => {
    const { w, plan, c } = await keptDrill({ keepFor: '1h', undeletable: ['case-api-restored'] });
    w.clock.advance(HOUR);
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: ['case-db-restored'], failed: ['case-api-restored'], settled: false },
    ]);
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: [], failed: ['case-api-restored'], settled: false },
    ]);
    expect(await cleanupRecords(w, plan.name)).toEqual([]);
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: [], failed: ['case-api-restored'], settled: true },
    ]);
    expect(await expireKeptResources(c, plan)).toEqual([]);
    const [cleanup] = await cleanupRecords(w, plan.name);
    expect(cleanup?.data).toMatchObject({
      deleted: ['case-db-restored'],
      leftBehind: [
        { createdResource: 'case-api-restored', error: 'AccessDenied deleting case-api-restored' },
      ],
    });
    const stored = await w.store.get<KeptRecord & { settled: boolean }>(keptKey(plan.name, 'f1'));
    expect(stored?.value.settled).toBe(true);
  });

  it('asks again, sweep after sweep, about a delete still in progress, and records it once gone', async () => {
    const { w, plan, c } = await keptDrill({ keepFor: '1h', slowDeletes: { 'case-db-restored': 4 } });
    await advanceApp(c, plan);
    w.clock.advance(HOUR - 600);
    for (let sweep = 1; sweep <= 5; sweep++) {
      w.clock.advance(600);
      await expireKeptResources(c, plan);
      expect(await cleanupRecords(w, plan.name)).toHaveLength(sweep < 5 ? 0 : 1);
    }
    expect(w.cleaner.deleted.filter((x) => x === 'case-db-restored')).toHaveLength(5);
    const [cleanup] = await cleanupRecords(w, plan.name);
    expect(cleanup?.data).toMatchObject({
      deleted: ['case-db-restored', 'case-api-restored'],
      leftBehind: [],
    });
  });

  it('does not miss a kept drill replaced by the next drill before any sweep', async () => {
    const { w, plan, c } = await keptDrill({ keepFor: '1h' });
    w.clock.advance(2 * HOUR);
    await requestDrill(c, plan, { ...manual, eventId: 'd2' }); // replaces drill f1 in the drill item
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.id).toBe('f2');
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: CREATED, failed: [], settled: true },
    ]);
  });

  it('deletes at once what a drill preempted by a real failover kept', async () => {
    const w = engineWorld();
    const plan = drillable((d) => {
      d.spec.drill = { keep: true, keepFor: '7d' };
    });
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await advanceFailover(c, plan, Purpose.Drill);
    w.clock.advance(600);
    await advanceFailover(c, plan, Purpose.Drill); // case-db restored; case-api's restore running
    await requestFailover(c, plan, alarm);
    await w.drive(c, plan);
    expect(await w.drive(c, plan, Purpose.Drill)).toBe('ended');
    expect((await readAppState(w.store, plan.name, Purpose.Drill)).failover?.phase).toBe('aborted');
    expect(w.cleaner.deleted).toEqual([]);
    expect(await expireKeptResources(c, plan)).toEqual([
      { drillId: 'f1', deleted: CREATED, failed: [], settled: true },
    ]);
  });

  it('lets one of two controllers sweeping at once record the outcome', async () => {
    const { w, plan, drill } = await keptDrill({ keepFor: '1h' });
    w.clock.advance(HOUR);
    const [a, b] = await Promise.all([
      expireKeptResources(w.controller('controller-a'), plan),
      expireKeptResources(w.controller('controller-b'), plan),
    ]);
    expect([...(a ?? []), ...(b ?? [])]).toEqual([
      { drillId: drill.id, deleted: CREATED, failed: [], settled: true },
    ]);
    expect(await cleanupRecords(w, plan.name)).toHaveLength(1);
  });

  it('leaves a drill without keep alone: its own teardown deleted everything', async () => {
    const w = engineWorld();
    const plan = drillable();
    const c = w.controller();
    await requestDrill(c, plan, manual);
    await w.drive(c, plan, Purpose.Drill);
    w.clock.advance(30 * 24 * HOUR);
    expect(await expireKeptResources(c, plan)).toEqual([]);
    expect(await w.store.query(`app#${plan.name}`, 'kept#')).toEqual([]);
  });
});
