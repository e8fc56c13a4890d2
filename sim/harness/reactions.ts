/**
 * What the world does in answer to the engine: humans answer approval requests (approve, reject,
 * both racing, or nothing; some answer twice, some too late, some to the wrong region), and AWS
 * Backup announces job ends best-effort (late, twice, or not at all), as EventBridge does.
 */
import type { Notification } from '#shared/ports/notifier.ts';
import { failoverOfToken } from './engine.ts';
import { approvalInput, restoreJobEvent } from './payloads.ts';
import type { Random } from './random.ts';
import type { TruthJob } from './truth.ts';
import { resourceArn, VAULT } from './workload.ts';

/** A delivery waiting in the world's queue. */
export interface Queued {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly kind: 'event' | 'advance';
  readonly raw?: unknown;
  readonly to: 'any' | 'wrong';
  readonly attempts: number;
  /** The ALARM fact the payload carries (`app@time`). */
  readonly fact?: string;
  /** The failover an approve / reject token names. */
  readonly approves?: string;
  readonly rejects?: string;
}

/** A delivery to enqueue. */
export type NewDelivery = Omit<Queued, 'seq'>;

/** Draws the world's answers from their own random stream. */
export class Reactions {
  readonly #answered = new Set<string>();
  readonly #announced = new Set<string>();
  #seen = 0;

  constructor(
    private readonly random: Random,
    private readonly trace: (line: string) => void,
  ) {}

  /** Answers to approval requests the notifier captured since the last call (one answer per failover). */
  approvals(sent: readonly Notification[], now: number): NewDelivery[] {
    const out: NewDelivery[] = [];
    const r = this.random;
    for (const n of sent.slice(this.#seen)) {
      if (n.kind !== 'approval-request' || !n.approveToken || !n.rejectToken) continue;
      const failover = failoverOfToken(n.approveToken) ?? n.failoverId ?? '?';
      if (this.#answered.has(failover)) continue;
      this.#answered.add(failover);
      const choice = r.pick(['approve', 'approve', 'approve', 'reject', 'race', 'none'] as const);
      const decisions: ('approve' | 'reject')[] =
        choice === 'race' ? r.shuffle(['approve', 'reject'] as const) : choice === 'none' ? [] : [choice];
      for (const decision of decisions)
        for (let k = r.chance(0.3) ? 2 : 1; k > 0; k--) {
          const at = now + (r.chance(0.8) ? r.between(5, 600) : r.between(600, 2400)) * 1000;
          const token = decision === 'approve' ? n.approveToken : n.rejectToken;
          out.push({
            at,
            label: `${decision} ${failover}`,
            kind: 'event',
            raw: approvalInput(token, decision, new Date(at)),
            to: r.chance(0.1) ? 'wrong' : 'any',
            attempts: 0,
            ...(decision === 'approve' ? { approves: failover } : { rejects: failover }),
          });
        }
      this.trace(`humans: ${choice} for ${failover}`);
    }
    this.#seen = sent.length;
    return out;
  }

  /** Restore Job State Change events for jobs that ended since the last call. */
  jobEvents(jobs: readonly TruthJob[], now: number): NewDelivery[] {
    const out: NewDelivery[] = [];
    for (const job of jobs) {
      if (this.#announced.has(job.id) || job.endsAt > now) continue;
      this.#announced.add(job.id);
      const copies = this.random.chance(0.15) ? 0 : this.random.chance(0.2) ? 2 : 1;
      for (let k = 0; k < copies; k++) {
        const at = Math.max(now, job.endsAt) + this.random.between(0, 180) * 1000;
        const status = job.outcome === 'succeeded' ? 'COMPLETED' : 'FAILED';
        const raw = restoreJobEvent({
          id: job.id,
          status,
          resourceArn: resourceArn(job.app, job.resource),
          vaultArn: VAULT,
          envelopeId: `job-${job.id}-${k}`,
          at: new Date(at),
          ...(job.created ? { createdResourceArn: job.created } : {}),
        });
        out.push({ at, label: `job ${job.id} ${status}`, kind: 'event', raw, to: 'any', attempts: 0 });
      }
    }
    return out;
  }
}
