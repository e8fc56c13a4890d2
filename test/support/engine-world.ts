/**
 * A failover engine on fakes, for use-case tests of drills and evidence: one clock, one in-memory
 * store, fake restores (with their deletes), traffic, probes, inventory and notifier.
 */
import { advanceFailover } from '#shared/application/advance-failover.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import { InMemoryStateStore } from '#shared/application/in-memory-state-store.ts';
import { Purpose } from '#shared/domain/failover.ts';
import { RETRY_AFTER_SECONDS } from '#shared/domain/failover-transition.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import type { StateStore } from '#shared/ports/state-store.ts';
import { FakeInventory, FakeProber, FakeRestores, FakeTraffic, RecordingNotifier } from './fake-ports.ts';

export const t0 = new Date('2026-11-21T12:00:00Z');

/** Options of {@link engineWorld}. */
export interface EngineWorldOptions {
  readonly ages?: Record<string, number | 'missing' | 'error'>;
  readonly failing?: string[];
  readonly probes?: Record<string, boolean>;
  /** Created resources whose delete keeps failing. */
  readonly undeletable?: string[];
  /** Created resources whose delete answers `deleting` this many calls before they are gone. */
  readonly slowDeletes?: Record<string, number>;
}

/**
 * Deletes by created id; records every call; deleting twice is fine (idempotent, as the APIs are).
 * A resource in `slow` answers `deleting` that many calls before it is gone.
 */
export class FakeCleaner implements RestoredResourceCleaner {
  readonly deleted: string[] = [];
  readonly #polls = new Map<string, number>();
  constructor(
    private readonly undeletable: readonly string[] = [],
    private readonly slow: Readonly<Record<string, number>> = {},
  ) {}
  async delete(_resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    if (this.undeletable.includes(createdResource))
      throw new Error(`AccessDenied deleting ${createdResource}`);
    this.deleted.push(createdResource);
    const polls = (this.#polls.get(createdResource) ?? 0) + 1;
    this.#polls.set(createdResource, polls);
    return polls <= (this.slow[createdResource] ?? 0)
      ? { state: 'deleting', detail: `${createdResource} is being deleted` }
      : { state: 'deleted', detail: `deleted ${createdResource}` };
  }
}

/** Builds the world; `controller(owner)` makes a controller over it, `drive` runs one app to rest. */
export function engineWorld(options: EngineWorldOptions = {}) {
  const clock = new ManualClock(t0);
  const store = new InMemoryStateStore();
  const restores = new FakeRestores(clock, 600, options.failing ?? []);
  const traffic = new FakeTraffic();
  const prober = new FakeProber(options.probes ?? {});
  const notifier = new RecordingNotifier();
  const inventory = new FakeInventory(clock, options.ages ?? {});
  const cleaner = new FakeCleaner(options.undeletable ?? [], options.slowDeletes ?? {});
  let n = 0;
  const controller = (owner = 'controller-a', s: StateStore = store): Controller =>
    createController({
      store: s,
      inventory,
      restores,
      prober,
      traffic,
      cleaner,
      notifier,
      clock,
      approvalKey: Buffer.alloc(32, 7),
      newId: () => `f${++n}`,
      owner,
      leaseSeconds: 300,
    });
  /** Advances until the failover (or drill) waits for nothing but time, moving time to each job's end. */
  const drive = async (c: Controller, plan: RecoveryPlan, purpose: Purpose = Purpose.Failover) => {
    for (let i = 0; i < 100; i++) {
      const r = await advanceFailover(c, plan, purpose);
      if (r !== 'waiting-for-jobs') return r;
      const next = restores.nextCompletion();
      if (next) clock.advanceTo(next);
      else clock.advance(RETRY_AFTER_SECONDS);
    }
    throw new Error('did not settle');
  };
  return { clock, store, restores, traffic, prober, notifier, inventory, cleaner, controller, drive };
}
