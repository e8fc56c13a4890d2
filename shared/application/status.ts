/**
 * What each application looks like now (SPEC §5 `status --json`): which site serves traffic, the
 * failover in flight, the freshness of every resource, and the notifications sent. All of `status`
 * is built here, in one function, so the failover and notification parts join it in one place.
 */
import type { Failover, Step } from '../domain/failover.ts';
import type { Freshness } from '../domain/freshness.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import { jobIdOf, labelOf } from '../domain/step-kinds.ts';
import type { Notification } from '../ports/notifier.ts';
import type { ActiveSite, TrafficSwitch } from '../ports/recovery-actions.ts';
import type { Controller } from './controller.ts';
import { listArchived, listNotifications, readApp } from './failover-repository.ts';
import { type AuditDeps, runAudit } from './run-audit.ts';

/** One application in `status --json`. */
export interface AppStatus {
  readonly name: string;
  readonly activeSite: ActiveSite;
  /** The failover in flight or last run; `null` while none is known. */
  readonly failover: FailoverStatus | null;
  /** The failovers before it, oldest first (each one's history kept as it ended). */
  readonly earlierFailovers: readonly FailoverStatus[];
  readonly freshness: readonly Freshness[];
  readonly notifications: readonly NotificationStatus[];
}

/** A failover as `status --json` shows it (SPEC §5), with its phase history added. */
export interface FailoverStatus {
  readonly id: string;
  readonly phase: Failover['phase'];
  readonly trigger: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly reason: string | null;
  readonly steps: readonly (Pick<Step, 'name' | 'kind' | 'status' | 'startedAt' | 'endedAt'> & {
    readonly jobId: string | null;
    /** What the step does or checks, for people (a probe: its URL); `name` stays the step's id. */
    readonly label: string;
  })[];
  readonly history: Failover['history'];
  /** Set when a person overrode refusing gates (break-glass): who, which gates, why. */
  readonly override?: NonNullable<Failover['override']>;
}

/**
 * A notification as `status --json` shows it: never with tokens from the store (it holds none); only
 * a simulation adds the tokens its simulated inbox received (see `cli/simulated-inbox.ts`).
 */
export type NotificationStatus = Pick<
  Notification,
  'channel' | 'kind' | 'approveToken' | 'rejectToken' | 'at' | 'failoverId' | 'expiresAt' | 'text'
> & { readonly target: string; readonly delivered: boolean };

/** The `status --json` document. */
export interface StatusReport {
  readonly generatedAt: string;
  readonly apps: readonly AppStatus[];
}

/**
 * What status reads. Without `traffic` the active site comes from the controller's own record, and
 * without a controller it is `unknown`: Standby never guesses it.
 */
export interface StatusDeps extends AuditDeps {
  readonly traffic?: TrafficSwitch;
  readonly controller?: Pick<Controller, 'store'>;
}

/**
 * 1. Audit freshness of every resource (one inventory pass, one `now`).
 * 2. Ask the routing which site is active, per application; a routing that cannot be read is `unknown`.
 * 3. Assemble one entry per application, in plan order.
 */
export async function buildStatus(plans: readonly RecoveryPlan[], deps: StatusDeps): Promise<StatusReport> {
  const audit = await runAudit(plans, deps);
  const { traffic, controller } = deps;
  const apps = await Promise.all(
    plans.map(async (plan, i): Promise<AppStatus> => {
      // Only a stored app item knows a site; before any, the initial state's "primary" would be a guess.
      const stored = controller ? await readApp(controller.store, plan.name) : undefined;
      const state = stored?.version === undefined ? undefined : stored.state;
      const read: ActiveSite =
        traffic && plan.routing ? await traffic.activeSite(plan).catch(() => 'unknown' as const) : 'unknown';
      const notifications = controller ? await listNotifications(controller.store, plan.name) : [];
      const earlier = controller ? await listArchived(controller.store, plan.name) : [];
      return {
        name: plan.name,
        activeSite: read !== 'unknown' ? read : (state?.activeSite ?? 'unknown'),
        failover: state?.failover ? failoverStatus(state.failover) : null,
        earlierFailovers: earlier.map(failoverStatus),
        // Stryker disable next-line OptionalChaining,ArrayDeclaration: runAudit returns one app per plan, in plan order.
        freshness: audit.apps[i]?.freshness ?? [],
        notifications: notifications.map((n) => ({
          channel: n.channel,
          target: n.target,
          kind: n.kind,
          at: n.at,
          ...(n.failoverId ? { failoverId: n.failoverId } : {}),
          ...(n.expiresAt ? { expiresAt: n.expiresAt } : {}),
          text: n.text,
          delivered: n.delivered,
        })),
      };
    }),
  );
  return { generatedAt: audit.generatedAt, apps };
}

/** The SPEC view of a failover: steps without internal fields, plus the phase history. */
export function failoverStatus(f: Failover): FailoverStatus {
  return {
    id: f.id,
    phase: f.phase,
    trigger: f.trigger.ref,
    startedAt: f.startedAt,
    endedAt: f.endedAt,
    reason: f.reason,
    steps: f.steps.map((s) => ({
      name: s.name,
      label: labelOf(s),
      kind: s.kind,
      status: s.status,
      jobId: jobIdOf(s),
      startedAt: s.startedAt,
      endedAt: s.endedAt,
    })),
    history: f.history,
    ...(f.override ? { override: f.override } : {}),
  };
}
