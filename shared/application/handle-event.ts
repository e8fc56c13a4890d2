/**
 * Use case: handle one delivered event — the single code path behind the Lambda and Azure Function
 * handlers and `standby replay`. Every input ends as an outcome with a reason; nothing throws for
 * bad input and nothing is dropped silently.
 */

import { readUnverifiedClaims } from '../domain/approval-token.ts';
import { matchEvent, type PlanMatch } from '../domain/event-matching.ts';
import { type EventKind, type NormalizedEvent, normalizeEvents } from '../domain/events.ts';
import { isTerminal } from '../domain/failover.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import { awsRestoreRuleOf } from '../domain/restore-requests.ts';
import { advanceFailover } from './advance-failover.ts';
import type { Controller } from './controller.ts';
import { decideApproval } from './decide-approval.ts';
import { firstDelivery, markDelivered, recordTriggerState } from './delivery-ledger.ts';
import { readAppState } from './failover-repository.ts';
import { publishEvents } from './publish-events.ts';
import { recordAuditEvidence } from './record-audit-evidence.ts';
import { recordRestoreEnd } from './record-restore-end.ts';
import { auditPlan, requestFailover } from './request-failover.ts';
import { resourceKey, runAudit } from './run-audit.ts';

/** What an event did (SPEC §5 `replay` outcome `effect`). */
export const Effect = {
  FailoverStarted: 'failover-started',
  ApprovalRequested: 'approval-requested',
  JoinedExisting: 'joined-existing',
  Refused: 'refused',
  Ignored: 'ignored',
  FreshnessUpdated: 'freshness-updated',
  FreshnessAlert: 'freshness-alert',
  RestoreProgress: 'restore-progress',
  Rejected: 'rejected',
} as const;
/** One of {@link Effect}. */
export type Effect = (typeof Effect)[keyof typeof Effect];

/** The outcome of one event for one application (SPEC §5 `replay --json` → `outcomes[]`). */
export interface EventOutcome {
  readonly accepted: boolean;
  readonly source: string | null;
  readonly kind: EventKind | null;
  readonly app: string | null;
  readonly effect: Effect;
  readonly reason: string;
  readonly failoverId?: string;
}

/** What the use case needs. */
export interface HandleEventDeps {
  readonly plans: readonly RecoveryPlan[];
  readonly controller: Controller;
  /** The region this controller runs in; failovers are only driven in their recovery region. Unset: any. */
  readonly controllerRegion?: string;
  /** Who acts on approvals that arrive as events, when the event does not say. */
  readonly actor?: string;
  /**
   * SNS topics whose deliveries are trusted; an event delivered by any other topic (or by SNS without
   * a topic) is rejected. Unset: every topic is trusted (only for a human replaying files).
   */
  readonly trustedTopics?: readonly string[];
}

/** How far in the future an event's own time may be (clock skew between clouds): later is refused. */
export const MAX_EVENT_SKEW_SECONDS = 300;

/**
 * 1. Normalise the payload (one SNS batch may hold several events); a rejection is an outcome.
 * 2. Schedules audit every plan; approvals go to the controller; `other` is ignored with its reason.
 * 3. Match the event to plans; no match is `ignored` with the reason.
 * 4. Per matched application: alarms request a failover (after de-duplication and ordering),
 *    job and point events re-audit the resources concerned, restore-job events move the failover on.
 */
export async function handleEvent(raw: unknown, deps: HandleEventDeps): Promise<EventOutcome[]> {
  const results = normalizeEvents(raw);
  const outcomes: EventOutcome[] = [];
  for (const result of results) {
    if (!result.accepted) {
      outcomes.push({
        accepted: false,
        source: result.source ?? null,
        kind: null,
        app: null,
        effect: Effect.Rejected,
        reason: result.reason,
      });
      continue;
    }
    const distrust = untrusted(result, deps);
    if (distrust) {
      outcomes.push({
        accepted: false,
        source: result.source,
        kind: null,
        app: null,
        effect: Effect.Rejected,
        reason: distrust,
      });
      continue;
    }
    // Store or provider failures propagate: the platform retries the event, then dead-letters it.
    outcomes.push(...(await handleNormalized(result, deps)));
  }
  return outcomes;
}

async function handleNormalized(event: NormalizedEvent, deps: HandleEventDeps): Promise<EventOutcome[]> {
  const base = { accepted: true, source: event.source, kind: event.kind } as const;
  const { controller, plans } = deps;
  switch (event.kind) {
    case 'other':
      return [{ ...base, app: null, effect: Effect.Ignored, reason: event.reason }];
    case 'schedule': {
      const report = await runAudit(plans, { inventory: controller.inventory, clock: controller.clock });
      await recordAuditEvidence(controller.store, report);
      const { events } = controller;
      if (events) for (const p of plans) await publishEvents({ store: controller.store, events }, p.name);
      const alerts = report.apps.flatMap((a) =>
        a.freshness.filter((f) => f.alert).map((f) => `${a.name}/${f.resource} ${f.status}`),
      );
      return [
        {
          ...base,
          app: null,
          effect: alerts.length ? Effect.FreshnessAlert : Effect.FreshnessUpdated,
          reason: alerts.length
            ? `audit found: ${alerts.join(', ')}`
            : `audit of ${plans.length} application(s): all fresh`,
        },
      ];
    }
    case 'approval': {
      // Only the controller of the recovery region writes a failover (see docs/design/multi-region.md).
      const named = plans.find((p) => p.name === readUnverifiedClaims(event.token)?.app);
      if (named && !drivesHere(named, deps))
        return [{ ...base, app: named.name, effect: Effect.Ignored, reason: elsewhere(named, deps) }];
      // An event's actor is whatever its sender wrote: recorded as a claim, never as the approver. Its
      // decision must be the token's own.
      const approver = { id: event.actor ?? deps.actor ?? 'event', authenticated: false };
      const decided = await decideApproval(controller, plans, event.token, approver, event.decision);
      if (!decided.ok) return [{ ...base, app: decided.app, effect: Effect.Refused, reason: decided.reason }];
      const plan = plans.find((p) => p.name === decided.app)!;
      // Stryker disable next-line ConditionalExpression: a token of a plan driven elsewhere was ignored above.
      if (drivesHere(plan, deps)) await advanceFailover(controller, plan);
      return [
        {
          ...base,
          app: plan.name,
          effect: decided.effect,
          reason: decided.reason,
          failoverId: decided.failoverId,
        },
      ];
    }
  }
  const match = matchEvent(event, plans);
  if (!match.matched) return [{ ...base, app: null, effect: Effect.Ignored, reason: match.reason }];
  const outcomes: EventOutcome[] = [];
  for (const m of match.matches) {
    const plan = plans.find((p) => p.name === m.app)!;
    const outcome = await handleForPlan(event, plan, m, deps);
    outcomes.push({ ...base, app: plan.name, ...outcome });
  }
  return outcomes;
}

type PlanOutcome = Pick<EventOutcome, 'effect' | 'reason' | 'failoverId'>;

async function handleForPlan(
  event: NormalizedEvent,
  plan: RecoveryPlan,
  match: PlanMatch,
  deps: HandleEventDeps,
): Promise<PlanOutcome> {
  const { controller } = deps;
  switch (event.kind) {
    case 'alarm':
    case 'alarm-cleared': {
      const ref = match.trigger ?? 'trigger';
      // Checked first: a controller that does not drive the plan writes nothing for it, not even markers.
      if (!drivesHere(plan, deps)) return { effect: Effect.Ignored, reason: elsewhere(plan, deps) };
      if (!(await firstDelivery(controller.store, plan.name, event.dedupKey)))
        return { effect: Effect.Ignored, reason: `duplicate delivery of ${event.dedupKey}; already handled` };
      const newer = await recordTriggerState(controller.store, plan.name, ref, event.kind, event.occurredAt);
      if (newer) {
        await markDelivered(controller, plan.name, event.dedupKey);
        return {
          effect: Effect.Ignored,
          reason: `out of order: ${ref} was already seen ${newer.state === 'alarm' ? 'in ALARM' : 'OK'} at ${newer.at}, after this change (${event.occurredAt.toISOString()})`,
        };
      }
      if (event.kind === 'alarm-cleared') {
        await markDelivered(controller, plan.name, event.dedupKey);
        const current = (await readAppState(controller.store, plan.name)).failover;
        return {
          effect: Effect.Ignored,
          reason:
            current && !isTerminal(current.phase)
              ? `${ref} cleared; failover ${current.id} (${current.phase}) goes on — a recovered primary does not undo a failover half-way`
              : `${ref} cleared; nothing in flight`,
        };
      }
      if (plan.failover.mode === 'manual') {
        await markDelivered(controller, plan.name, event.dedupKey);
        return {
          effect: Effect.Ignored,
          reason: `${ref} is in ALARM, but ${plan.name} fails over only by hand (mode manual)`,
        };
      }
      // The trigger fact is the de-duplication key: the claim records it, so no copy of it starts a second failover.
      const started = await requestFailover(controller, plan, {
        kind: 'alarm',
        ref,
        eventId: event.dedupKey,
      });
      await markDelivered(controller, plan.name, event.dedupKey);
      if (started.effect === 'failover-started' || started.effect === 'joined-existing')
        await advanceFailover(controller, plan);
      return {
        effect: started.effect,
        reason: started.reason,
        ...(started.failoverId ? { failoverId: started.failoverId } : {}),
      };
    }
    case 'restore-job': {
      if (!drivesHere(plan, deps)) return { effect: Effect.Ignored, reason: elsewhere(plan, deps) };
      const r = event.restore;
      // A restore whose type needs work after the job (an Aurora cluster's instances) is not over when the
      // job completes: the poll in advance does that work and ends the step.
      const followUp =
        r.state === 'COMPLETED' && awsRestoreRuleOf(r.resourceType)?.afterRestore !== undefined;
      const ended = (r.state === 'COMPLETED' && !followUp) || r.state === 'FAILED' || r.state === 'ABORTED';
      const result = await recordRestoreEnd(controller, plan.name, {
        jobId: r.restoreJobId,
        ended,
        succeeded: r.state === 'COMPLETED',
        message: r.statusMessage ?? r.createdResourceArn ?? r.providerState,
        ...(r.createdResourceArn ? { createdResource: r.createdResourceArn } : {}),
      });
      if (result.kind === 'not-ours')
        return {
          effect: Effect.Ignored,
          reason: `restore job ${r.restoreJobId} was not started by the current failover of ${plan.name}`,
        };
      if (result.kind === 'progress') {
        if (followUp) await advanceFailover(controller, plan);
        return {
          effect: Effect.RestoreProgress,
          reason: followUp
            ? `restore job ${r.restoreJobId} is ${r.providerState}; the restored ${r.resourceType} still needs its post-restore work`
            : `restore job ${r.restoreJobId} is ${r.providerState}`,
          failoverId: result.failoverId,
        };
      }
      await advanceFailover(controller, plan);
      return {
        effect: Effect.RestoreProgress,
        reason: `restore job ${r.restoreJobId} ended ${r.providerState}${result.kind === 'already-known' ? ' (already recorded)' : ''}`,
        failoverId: result.failoverId,
      };
    }
    case 'backup-job':
    case 'copy-job':
    case 'recovery-point':
    case 'vault-change': {
      const audit = await auditPlan(controller, plan);
      const concerned = audit.freshness.filter(
        (f) => match.resources.length === 0 || match.resources.includes(f.resource),
      );
      const alerts = concerned.filter((f) => f.alert);
      return alerts.length
        ? {
            effect: Effect.FreshnessAlert,
            reason: alerts
              .map((f) => `${resourceKey(plan.name, f.resource)} ${f.status}: ${f.reason}`)
              .join('; '),
          }
        : {
            effect: Effect.FreshnessUpdated,
            reason: concerned.map((f) => `${f.resource} ${f.status}`).join(', ') || 'no resource concerned',
          };
    }
    // Stryker disable next-line ConditionalExpression: a guard — schedules, approvals and other events return before matching.
    default:
      // Stryker disable next-line ObjectLiteral,StringLiteral: as above, unreachable.
      return { effect: Effect.Ignored, reason: `${event.kind} events do not concern an application` };
  }
}

/**
 * Why an accepted event is not trusted: delivered by an SNS topic that is not allow-listed, or dated
 * in the future (a forged OK dated 2099 would otherwise make every later ALARM "out of order").
 */
function untrusted(event: NormalizedEvent, deps: HandleEventDeps): string | undefined {
  const { trustedTopics } = deps;
  if (event.via === 'sns' && trustedTopics && !(event.topic && trustedTopics.includes(event.topic)))
    return `delivered by SNS topic ${event.topic ?? '(none named)'}, which is not a trusted topic of this controller (${trustedTopics.length ? trustedTopics.join(', ') : 'none configured'})`;
  const now = deps.controller.clock.now();
  if (event.occurredAt && event.occurredAt.getTime() > now.getTime() + MAX_EVENT_SKEW_SECONDS * 1000)
    return `dated ${event.occurredAt.toISOString()}, more than ${MAX_EVENT_SKEW_SECONDS}s after this controller's time ${now.toISOString()}; refused rather than let a future time order later events`;
  return undefined;
}

/** Whether this controller drives `plan`'s failovers: it runs in the plan's recovery region (or anywhere, unset). */
function drivesHere(plan: RecoveryPlan, deps: HandleEventDeps): boolean {
  return !deps.controllerRegion || deps.controllerRegion === plan.recovery.region;
}

function elsewhere(plan: RecoveryPlan, deps: HandleEventDeps): string {
  return `this controller runs in ${deps.controllerRegion}; ${plan.name} fails over in its recovery region ${plan.recovery.region}`;
}
