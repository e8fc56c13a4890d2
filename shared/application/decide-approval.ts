/**
 * Use case: act on an approval token — approve or reject the one failover it names.
 */
import { nonceHash, verifyApprovalToken } from '../domain/approval-token.ts';
import { ConflictError } from '../domain/errors.ts';
import type { FailoverEvent } from '../domain/failover.ts';
import { transition } from '../domain/failover-transition.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { readApp, withFailover, writeApp } from './failover-repository.ts';

/** Who presents a token, as the driving adapter knows them. */
export interface Approver {
  /** An identity (SSO user, IAM principal, OS user), or what the request claims when unauthenticated. */
  readonly id: string;
  /** Whether the platform authenticated `id`; a self-declared name is never recorded as the approver. */
  readonly authenticated: boolean;
}

/** What the request asks for: an approve token only approves, a reject token only rejects. */
export type RequestedDecision = 'approve' | 'reject';

/** What a decision did; a refusal is a value with its reason, never an exception. */
export type DecisionResult =
  | {
      readonly ok: true;
      readonly app: string;
      readonly effect: 'failover-started' | 'refused';
      readonly reason: string;
      readonly failoverId: string;
    }
  | { readonly ok: false; readonly app: string | null; readonly reason: string };

const MAX_ATTEMPTS = 8;

/**
 * 1. Verify the token's form, signature, claims and expiry; it must name an application of the plan
 *    set, and the decision asked for (when the request says one) must be the token's own.
 * 2. Read the app item: the token must name its current failover, which must still wait, and the
 *    token's nonce must not be on record already.
 * 3. Record the decision (the approver — authenticated, or else the token's recipient — and the hash
 *    of the nonce) and the transition in ONE write, conditional on the version read: a crash can never
 *    burn the token without the decision, nor apply it twice, and a decision for F1 can never land on
 *    F2. A lost race reads again and decides again.
 */
export async function decideApproval(
  controller: Pick<Controller, 'store' | 'clock' | 'approvalKeys'>,
  plans: readonly RecoveryPlan[],
  token: string,
  approver: Approver,
  requested?: RequestedDecision,
): Promise<DecisionResult> {
  const { store, clock } = controller;
  const now = clock.now();
  const verified = verifyApprovalToken(token, await controller.approvalKeys(), now);
  if (!verified.ok) return { ok: false, app: null, reason: `approval token refused: ${verified.reason}` };
  const { claims } = verified;
  if (requested && requested !== claims.decision)
    return {
      ok: false,
      app: null,
      reason: `approval token refused: it is a ${claims.decision} token, and the request asks to ${requested}`,
    };
  const plan = plans.find((p) => p.name === claims.app);
  if (!plan)
    return {
      ok: false,
      app: null,
      reason: `approval token names application "${claims.app}", which is not in the plan set`,
    };
  const refused = (reason: string): DecisionResult => ({ ok: false, app: plan.name, reason });
  const nonce = nonceHash(claims.nonce);
  const by = approver.authenticated
    ? approver.id
    : `the recipient of ${claims.recipient} (unauthenticated; says "${approver.id}")`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readApp(store, plan.name);
    const current = read.state.failover;
    if (current?.id !== claims.failoverId)
      return refused(
        `approval token is for failover ${claims.failoverId}, which is not the current failover of ${plan.name}` +
          (current ? ` (${current.id}, ${current.phase})` : ''),
      );
    if (current.decision?.nonce === nonce)
      return refused('approval token was already used; tokens are single-use');
    const event: FailoverEvent = {
      type: claims.decision === 'approve' ? 'approved' : 'rejected',
      failoverId: claims.failoverId,
      at: now,
      by,
      authenticated: approver.authenticated,
      recipient: claims.recipient,
      nonce,
    };
    const result = transition(current, event);
    if (!result.ok)
      return refused(
        current.decision
          ? `failover ${current.id} was already ${current.decision.decision === 'approve' ? 'approved' : 'rejected'} by ${current.decision.by}`
          : `cannot ${claims.decision} failover ${current.id}: ${result.reason}`,
      );
    try {
      await writeApp(store, plan.name, read, withFailover(read.state, result.failover));
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    return claims.decision === 'approve'
      ? {
          ok: true,
          app: plan.name,
          effect: 'failover-started',
          reason: `approved by ${by}`,
          failoverId: current.id,
        }
      : { ok: true, app: plan.name, effect: 'refused', reason: `rejected by ${by}`, failoverId: current.id };
  }
  throw new ConflictError(`could not record the decision on ${plan.name} after ${MAX_ATTEMPTS} attempts`);
}
