/**
 * What a drill kept for inspection (`spec.drill.keep`) and when it goes: the kept record of one ended
 * drill lists every resource its restores created, with the moment they expire (the drill's end plus
 * `spec.drill.keepFor`, one day by default — at once for a drill that was aborted, e.g. preempted by a
 * real failover, whose copies would only crowd the recovery region during a disaster). After that
 * the scheduled advance deletes them, a few attempts each, and puts the outcome on the evidence chain.
 * Pure: storing the record and calling the deletes is `shared/application/expire-kept-resources.ts`.
 */
import { type Failover, KEPT_FOR_INSPECTION, Phase, Purpose, StepStatus } from './failover.ts';
import { TEARDOWN_WAIT_LIMIT_SECONDS } from './failover-teardown.ts';

/** How long a drill's restores are kept when the plan sets `keep: true` without `keepFor`. */
export const DEFAULT_KEEP_SECONDS = 86_400;
/** Deletes tried per kept resource before it is left to a human. */
export const MAX_DELETE_ATTEMPTS = 3;

/** One resource a drill kept. */
export interface KeptResource {
  /** The plan's resource name. */
  readonly resource: string;
  /** What the restore created (the ARN or resource id its job reported). */
  readonly createdResource: string;
  /** When it was deleted (or found already gone); null while it still exists. */
  readonly deletedAt: string | null;
  /** Deletes that failed or were made, not counting those that found it still being deleted. */
  readonly attempts: number;
  /** The last delete's error, while it has not been deleted. */
  readonly lastError?: string;
  /** When a delete was first found still in progress; past the wait limit the resource is left to a human. */
  readonly deletingSince?: string;
}

/** What one ended drill kept, and until when. */
export interface KeptRecord {
  readonly app: string;
  readonly drillId: string;
  readonly drillEndedAt: string;
  readonly expiresAt: string;
  readonly resources: readonly KeptResource[];
}

/** The kept record of an ended drill that kept something it restored; undefined otherwise. */
export function keptRecord(drill: Failover): KeptRecord | undefined {
  if (drill.purpose !== Purpose.Drill || !drill.endedAt) return undefined;
  const kept = new Set(
    drill.steps.flatMap((s) =>
      s.kind === 'teardown' && s.status === StepStatus.Skipped && s.detail === KEPT_FOR_INSPECTION
        ? [s.resource]
        : // Stryker disable next-line ArrayDeclaration: a filler name no restore step has.
          [],
    ),
  );
  const resources = drill.steps.flatMap((s): KeptResource[] =>
    s.kind === 'restore' && kept.has(s.resource) && s.createdResource
      ? [{ resource: s.resource, createdResource: s.createdResource, deletedAt: null, attempts: 0 }]
      : [],
  );
  if (resources.length === 0) return undefined;
  return {
    app: drill.app,
    drillId: drill.id,
    drillEndedAt: drill.endedAt,
    expiresAt: keptUntil(drill, drill.endedAt),
    resources,
  };
}

/** When what `drill` kept expires: its end plus `keepFor`, or its end when it was aborted. */
export function keptUntil(drill: Failover, endedAt: string): string {
  const seconds =
    drill.phase === Phase.Aborted ? 0 : (drill.plan.drill?.keepForSeconds ?? DEFAULT_KEEP_SECONDS);
  return new Date(Date.parse(endedAt) + seconds * 1000).toISOString();
}

/** The kept resources to delete now: expired, still there, attempts left. */
export function dueForDeletion(record: KeptRecord, now: Date): KeptResource[] {
  if (Date.parse(record.expiresAt) > now.getTime()) return [];
  return record.resources.filter((r) => r.deletedAt === null && r.attempts < MAX_DELETE_ATTEMPTS);
}

/** The outcome of one delete: gone, still being deleted (no failure), or refused. */
export type DeleteOutcome =
  | { readonly state: 'deleted' }
  | { readonly state: 'deleting'; readonly detail: string }
  | { readonly state: 'failed'; readonly error: string };

/** The record after a delete of `createdResource` at `at`. */
export function withDeleteOutcome(
  record: KeptRecord,
  createdResource: string,
  outcome: DeleteOutcome,
  at: Date,
): KeptRecord {
  return {
    ...record,
    resources: record.resources.map((r) =>
      r.createdResource === createdResource ? afterDelete(r, outcome, at) : r,
    ),
  };
}

/** A polled delete still in progress costs no attempt, until it has waited past the limit. */
function afterDelete(r: KeptResource, outcome: DeleteOutcome, at: Date): KeptResource {
  const { lastError: _previous, ...rest } = r;
  switch (outcome.state) {
    case 'deleted':
      return { ...rest, attempts: r.attempts + 1, deletedAt: at.toISOString() };
    case 'failed':
      return { ...rest, attempts: r.attempts + 1, lastError: outcome.error };
    case 'deleting': {
      const since = r.deletingSince ?? at.toISOString();
      return at.getTime() - Date.parse(since) < TEARDOWN_WAIT_LIMIT_SECONDS * 1000
        ? { ...rest, deletingSince: since }
        : {
            ...rest,
            deletingSince: since,
            attempts: MAX_DELETE_ATTEMPTS,
            lastError: `still being deleted since ${since}: ${outcome.detail}`,
          };
    }
  }
}

/** Settled: every kept resource deleted, or out of attempts (left to a human). */
export function isSettled(record: KeptRecord): boolean {
  return record.resources.every((r) => r.deletedAt !== null || r.attempts >= MAX_DELETE_ATTEMPTS);
}

/** What a settled record leaves behind: the resources no delete removed. */
export function leftBehind(record: KeptRecord): KeptResource[] {
  return record.resources.filter((r) => r.deletedAt === null);
}
