/**
 * Scripted ports for the effects of failover commands (run-effect.ts): each port answers from a
 * script, records its calls in order in a shared journal with the lease fence, and fails when the
 * script holds an Error (or a non-Error value to throw).
 */
import { LeaseLostError } from '#shared/application/lease.ts';
import type { Fence } from '#shared/application/run-effect.ts';
import type { ProtectedResource, RecoveryPlan } from '#shared/domain/plan.ts';
import { ManualClock } from '#shared/ports/clock.ts';
import type {
  ActiveSite,
  DeleteOutcome,
  ProbeResult,
  RestoredResourceCleaner,
  RestoreJobStatus,
} from '#shared/ports/recovery-actions.ts';
import { t0 } from './failovers.ts';
import { FakeProber, FakeRestores } from './fake-ports.ts';

/** Records the order of fence checks and cloud calls; the fence throws once `lost`. */
export function journal() {
  const calls: string[] = [];
  let lost = false;
  const fence: Fence = async () => {
    calls.push('fence');
    if (lost) throw new LeaseLostError('failover/case-management', 1, 'superseded');
  };
  return { calls, fence, lose: () => (lost = true) };
}

/** A scripted answer, or a failure when the script holds an Error (or a non-Error value). */
const answer = async <T>(value: T | Error | { thrown: unknown }): Promise<T> => {
  if (value instanceof Error) throw value;
  if (typeof value === 'object' && value !== null && 'thrown' in value) throw value.thrown;
  return value as T;
};

/** The ports of `runEffect`, answering from `script`; `calls` is the journal they write to. */
export function ports(
  script: {
    describe?: RestoreJobStatus | Error;
    probe?: ProbeResult | Error | { thrown: unknown };
    sites?: (ActiveSite | Error)[];
    switchTo?: Error;
    deleted?: DeleteOutcome | Error | { thrown: unknown };
    cleaner?: false;
  } = {},
  calls: string[] = [],
) {
  const clock = new ManualClock(t0);
  const restores = new FakeRestores(clock);
  const sites = [...(script.sites ?? [])];
  const cleaner: RestoredResourceCleaner = {
    delete: async (resource: ProtectedResource, created: string) => {
      calls.push(`delete ${resource.name} ${created}`);
      return answer(script.deleted ?? { state: 'deleted', detail: `deleted ${created}` });
    },
  };
  return {
    clock,
    restores: Object.assign(restores, {
      describe: async (resource: ProtectedResource, jobId: string) => {
        calls.push(`describe ${resource?.name ?? '(no resource)'} ${jobId}`);
        return answer(script.describe ?? { state: 'running' });
      },
    }),
    prober: Object.assign(new FakeProber(), {
      probe: async (p: { url: string }) => {
        calls.push(`probe ${p.url}`);
        return answer(script.probe ?? { ok: true, detail: 'GET → 200' });
      },
    }),
    traffic: {
      activeSite: async (_plan: RecoveryPlan) => {
        calls.push('read');
        return answer(sites.shift() ?? 'primary');
      },
      switchTo: async (_plan: RecoveryPlan, site: string) => {
        calls.push(`switch ${site}`);
        if (script.switchTo) throw script.switchTo;
      },
    },
    ...(script.cleaner === false ? {} : { cleaner }),
  };
}
