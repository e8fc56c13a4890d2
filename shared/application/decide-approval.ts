/**
 * Use case: act on an approval token — approve or reject the one failover it names.
 */
import {
  type ApprovalClaims,
  nonceHash,
  type TokenRefusal,
  verifyApprovalToken,
} from '../domain/approval-token.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Failover, FailoverEvent } from '../domain/failover.ts';
import { transition } from '../domain/failover-transition.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { type AppState, readApp, withFailover, writeApp } from './failover-repository.ts';

/** Who presents a token, as the driving adapter knows them. */
export interface Approver {
  /** An identity (SSO user, IAM principal, OS user), or what the request claims when unauthenticated. */
  readonly id: string;
  /** Whether the platform authenticated `id`; a self-declared name is never recorded as the approver. */
  readonly authenticated: boolean;
}

/** What the request asks for: an approve token only approves, a reject token only rejects. */
export type RequestedDecision = 'approve' | 'reject';

/** The longest comment kept with a decision or an override reason, in characters. */
export const MAX_COMMENT_CHARS = 1000;

/** What a decision did; a refusal is a value with its reason, never an exception. */
export type DecisionResult =
  | {
      readonly ok: true;
      readonly app: string;
      readonly effect: 'failover-started' | 'refused';
      readonly reason: string;
      readonly failoverId: string;
    }
  | {
      readonly ok: false;
      readonly app: string | null;
      readonly reason: string;
      /** Why, as a closed set (absent only for refusals outside the token's own checks). */
      readonly refusal?: TokenRefusal;
    };

/** A verified token that names an application of the plan set, or why it does not act. */
export type TokenCheck =
  | { readonly ok: true; readonly claims: ApprovalClaims; readonly plan: RecoveryPlan }
  | {
      readonly ok: false;
      readonly app: string | null;
      readonly reason: string;
      readonly refusal: TokenRefusal;
    };

/**
 * Checks a token before any read of the store: form, signature, claims and expiry; the decision asked
 * for (when the request says one) must be the token's own; it must name an application of the plan set.
 */
export function checkToken(
  token: string,
  keys: Parameters<typeof verifyApprovalToken>[1],
  now: Date,
  plans: readonly RecoveryPlan[],
  requested?: ApprovalClaims['decision'],
): TokenCheck {
  const verified = verifyApprovalToken(token, keys, now);
  if (!verified.ok)
    return {
      ok: false,
      app: null,
      reason: `approval token refused: ${verified.reason}`,
      refusal: verified.code,
    };
  const { claims } = verified;
  if (requested && requested !== claims.decision)
    return {
      ok: false,
      app: null,
      refusal: 'wrong-decision',
      reason: `approval token refused: it is ${claims.decision === 'override' ? 'an' : 'a'} ${claims.decision} token, and the request asks to ${requested}`,
    };
  const plan = plans.find((p) => p.name === claims.app);
  if (!plan)
    return {
      ok: false,
      app: null,
      refusal: 'unknown-app',
      reason: `approval token names application "${claims.app}", which is not in the plan set`,
    };
  return { ok: true, claims, plan };
}

/**
 * The decision a verified approve/reject token would make on the app as read, without writing: the
 * failover it would produce, or why the token cannot act. The approval page's GET shows this, and the
 * POST decides with the same function on a fresh read.
 */
export function judgeDecision(
  state: AppState,
  claims: ApprovalClaims,
  event: Extract<FailoverEvent, { type: 'approved' | 'rejected' }>,
):
  | { readonly ok: true; readonly failover: Failover }
  | { readonly ok: false; readonly reason: string; readonly refusal: TokenRefusal } {
  const current = state.failover;
  if (current?.id !== claims.failoverId)
    return {
      ok: false,
      refusal: 'not-current',
      reason:
        `approval token is for failover ${claims.failoverId}, which is not the current failover of ${claims.app}` +
        (current ? ` (${current.id}, ${current.phase})` : ''),
    };
  if (current.decision?.nonce === event.nonce)
    return { ok: false, refusal: 'used', reason: 'approval token was already used; tokens are single-use' };
  const result = transition(current, event);
  if (result.ok) return result;
  return {
    ok: false,
    refusal: current.decision ? 'used' : 'not-current',
    reason: current.decision
      ? `failover ${current.id} was already ${current.decision.decision === 'approve' ? 'approved' : 'rejected'} by ${current.decision.by}`
      : `cannot ${claims.decision} failover ${current.id}: ${result.reason}`,
  };
}

/** The approval event a token and an approver make (who is recorded: see {@link Approver}). */
export function decisionEvent(
  claims: ApprovalClaims & { decision: RequestedDecision },
  approver: Approver,
  at: Date,
  comment?: string,
): Extract<FailoverEvent, { type: 'approved' | 'rejected' }> {
  const by = approver.authenticated
    ? approver.id
    : `the recipient of ${claims.recipient} (unauthenticated; says "${approver.id}")`;
  const kept = comment?.trim().slice(0, MAX_COMMENT_CHARS);
  return {
    type: claims.decision === 'approve' ? 'approved' : 'rejected',
    failoverId: claims.failoverId,
    at,
    by,
    authenticated: approver.authenticated,
    recipient: claims.recipient,
    nonce: nonceHash(claims.nonce),
    ...(kept ? { comment: kept } : {}),
  };
}

const MAX_ATTEMPTS = 8;

/**
 * 1. Verify the token's form, signature, claims and expiry; it must name an application of the plan
 *    set, and the decision asked for (when the request says one) must be the token's own. An override
 *    link is not an approval (see `override-refusal.ts`).
 * 2. Read the app item: the token must name its current failover, which must still wait, and the
 *    token's nonce must not be on record already.
 * 3. Record the decision (the approver — authenticated, or else the token's recipient — the hash of
 *    the nonce and the approver's comment) and the transition in ONE write, conditional on the version
 *    read: a crash can never burn the token without the decision, nor apply it twice, and a decision
 *    for F1 can never land on F2. A lost race reads again and decides again.
 */
export async function decideApproval(
  controller: Pick<Controller, 'store' | 'clock' | 'approvalKeys'>,
  plans: readonly RecoveryPlan[],
  token: string,
  approver: Approver,
  requested?: RequestedDecision,
  comment?: string,
): Promise<DecisionResult> {
  const { store, clock } = controller;
  const now = clock.now();
  const checked = checkToken(token, await controller.approvalKeys(), now, plans, requested);
  if (!checked.ok) return checked;
  const { claims, plan } = checked;
  if (claims.decision === 'override')
    return {
      ok: false,
      app: null,
      refusal: 'wrong-decision',
      reason:
        'approval token refused: it is a "fail over anyway" (override) link, which starts a new failover; it cannot approve or reject one',
    };
  const event = decisionEvent({ ...claims, decision: claims.decision }, approver, now, comment);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readApp(store, plan.name);
    const judged = judgeDecision(read.state, claims, event);
    if (!judged.ok) return { ok: false, app: plan.name, reason: judged.reason, refusal: judged.refusal };
    try {
      await writeApp(store, plan.name, read, withFailover(read.state, judged.failover));
    } catch (error) {
      if (error instanceof ConflictError) continue;
      throw error;
    }
    return {
      ok: true,
      app: plan.name,
      effect: claims.decision === 'approve' ? 'failover-started' : 'refused',
      reason: `${claims.decision === 'approve' ? 'approved' : 'rejected'} by ${event.by}`,
      failoverId: claims.failoverId,
    };
  }
  throw new ConflictError(`could not record the decision on ${plan.name} after ${MAX_ATTEMPTS} attempts`);
}
