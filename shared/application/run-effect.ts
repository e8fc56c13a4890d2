/**
 * The effect of each failover command, against the plan stored with the failover. Each effect ends in
 * the event that records its result (scoped to the failover, and to the job for restores), or in none
 * while a job still runs. Effects never throw for a cloud failure: a failure is a recorded fact.
 */

import type { Failover, FailoverEvent } from '../domain/failover.ts';
import type { Command, CommandType } from '../domain/failover-commands.ts';
import type { ActiveSite } from '../ports/recovery-actions.ts';
import type { Controller } from './controller.ts';

type Ports = Pick<Controller, 'restores' | 'prober' | 'traffic' | 'clock' | 'cleaner'>;
type Effect<T extends CommandType> = (
  command: Extract<Command, { type: T }>,
  failover: Failover,
  ports: Ports,
  fence: Fence,
) => Promise<FailoverEvent | undefined>;

/** Throws (`LeaseLostError`) unless the caller still holds the lease: called right before each cloud call that acts. */
export type Fence = () => Promise<void>;

/** One effect per command type: adding a command fails to compile until it has an effect here. */
const EFFECTS: { readonly [T in CommandType]: Effect<T> } = {
  'start-restore': async (c, f, { restores, clock }, fence) => {
    const scope = { failoverId: f.id, step: c.step };
    const resource = f.plan.resources.find((r) => r.name === c.resource);
    if (!resource)
      return {
        type: 'restore-start-failed',
        ...scope,
        at: clock.now(),
        reason: `${c.resource} is not in the plan`,
      };
    await fence();
    try {
      const { jobId } = await restores.start({
        resource,
        recoveryPointId: c.recoveryPoint,
        idempotencyToken: c.idempotencyToken,
      });
      return { type: 'restore-started', ...scope, jobId, at: clock.now() };
    } catch (error) {
      return { type: 'restore-start-failed', ...scope, at: clock.now(), reason: messageOf(error) };
    }
  },
  'check-restore': async (c, f, { restores, clock }) => {
    const resource = f.plan.resources.find((r) => r.name === c.resource);
    if (!resource) return undefined;
    const status = await restores.describe(resource, c.jobId).catch(() => undefined);
    // A failed poll is not a failed restore: the job's own end decides.
    if (!status || status.state === 'running') return undefined;
    const scope = { failoverId: f.id, step: c.step, jobId: c.jobId, at: clock.now() };
    return status.state === 'succeeded'
      ? {
          type: 'restore-succeeded',
          ...scope,
          ...(status.createdResource ? { createdResource: status.createdResource } : {}),
          detail: status.createdResource ?? status.message ?? 'completed',
        }
      : { type: 'restore-failed', ...scope, reason: status.message ?? 'the restore job failed' };
  },
  'run-probe': async (c, f, { prober, clock }) => {
    const scope = { failoverId: f.id, step: c.step };
    // Stryker disable next-line OptionalChaining: a run-probe command names a validate step of the failover it was made from.
    const attempt = f.steps.find((s) => s.name === c.step)?.attempts;
    const probe = f.plan.validate[c.probe];
    if (!probe) return { type: 'probe-failed', ...scope, at: clock.now(), reason: 'probe not in the plan' };
    const result = await prober
      .probe(probe)
      .catch((error: unknown) => ({ ok: false, detail: messageOf(error) }));
    return result.ok
      ? { type: 'probe-passed', ...scope, at: clock.now(), detail: result.detail }
      : {
          type: 'probe-failed',
          ...scope,
          at: clock.now(),
          reason: result.detail,
          ...(attempt ? { attempt } : {}),
        };
  },
  /**
   * Read the routing first (a switch asked for before a crash, or one whose outcome was unknown, may
   * have happened); switch only when it does not already point at the recovery site; after an error,
   * read it again to tell "did not happen" from "happened, reply lost" from "cannot tell yet".
   */
  'switch-traffic': async (_c, f, { traffic, clock }, fence) => {
    const scope = { failoverId: f.id };
    // Stryker disable next-line OptionalChaining: a switch-traffic command is made only for a failover with a switch step.
    const attempt = f.steps.find((s) => s.kind === 'switch')?.attempts;
    const inAttempt = attempt ? { attempt } : {};
    const read = (): Promise<ActiveSite> => traffic.activeSite(f.plan).catch(() => 'unknown' as const);
    if ((await read()) === 'recovery')
      return {
        type: 'switched',
        ...scope,
        at: clock.now(),
        detail: 'traffic already on the recovery site (read back)',
      };
    await fence();
    try {
      await traffic.switchTo(f.plan, 'recovery');
      return { type: 'switched', ...scope, at: clock.now(), detail: 'traffic switched to the recovery site' };
    } catch (error) {
      const after = await read();
      const reason = messageOf(error);
      if (after === 'recovery')
        return {
          type: 'switched',
          ...scope,
          at: clock.now(),
          detail: `switched; the call reported: ${reason}`,
        };
      return after === 'primary'
        ? { type: 'switch-failed', ...scope, ...inAttempt, at: clock.now(), reason }
        : { type: 'switch-unknown', ...scope, ...inAttempt, at: clock.now(), reason };
    }
  },
  /** Deletes what the drill's restore of one resource created — only ever a `createdResource`. */
  'delete-restored': async (c, f, { cleaner, clock }) => {
    const scope = { failoverId: f.id, step: c.step };
    const resource = f.plan.resources.find((r) => r.name === c.resource);
    const problem = !resource
      ? `${c.resource} is not in the plan`
      : !c.createdResource
        ? `the restore of ${c.resource} reported no created resource; find and delete it by hand`
        : !cleaner
          ? 'no clean-up adapter is configured'
          : undefined;
    if (problem || !resource || !c.createdResource || !cleaner)
      return { type: 'teardown-failed', ...scope, at: clock.now(), reason: problem ?? 'cannot tear down' };
    try {
      const { state, detail } = await cleaner.delete(resource, c.createdResource);
      return {
        type: state === 'deleted' ? 'torn-down' : 'teardown-waiting',
        ...scope,
        at: clock.now(),
        detail,
      };
    } catch (error) {
      return { type: 'teardown-failed', ...scope, at: clock.now(), reason: messageOf(error) };
    }
  },
};

/** Runs one command's effect for `failover`. */
export function runEffect(
  command: Command,
  failover: Failover,
  ports: Ports,
  fence: Fence = async () => {},
): Promise<FailoverEvent | undefined> {
  return (EFFECTS[command.type] as Effect<CommandType>)(command as never, failover, ports, fence);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
