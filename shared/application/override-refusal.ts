/**
 * Use case: a "fail over anyway" link from a refusal notice — start a new failover of the refused
 * application, accepting the refusing gates the link names (stale backups, the cooldown; nothing else
 * can be), with who gave the override and why kept with the failover as evidence.
 */
import { type ApprovalClaims, nonceHash, type TokenRefusal } from '../domain/approval-token.ts';
import { type Failover, type FailoverTrigger, Phase } from '../domain/failover.ts';
import type { RecoveryPlan } from '../domain/plan.ts';
import type { Controller } from './controller.ts';
import { type Approver, checkToken, MAX_COMMENT_CHARS } from './decide-approval.ts';
import { type AppState, readAppState } from './failover-repository.ts';
import { requestFailover, type StartEffect } from './request-failover.ts';

/** What an override did; a refusal is a value with its reason. */
export type OverrideResult =
  | {
      readonly ok: true;
      readonly app: string;
      readonly effect: Extract<StartEffect, 'failover-started' | 'approval-requested'>;
      readonly reason: string;
      readonly failoverId: string;
    }
  | {
      readonly ok: false;
      readonly app: string | null;
      readonly reason: string;
      readonly refusal?: TokenRefusal;
    };

/** The trigger an override link makes: its fact is the token's nonce hash, so the link acts once. */
export function overrideTrigger(claims: ApprovalClaims): FailoverTrigger {
  return {
    kind: 'manual',
    ref: `override link sent to ${claims.recipient}`,
    eventId: `override:${nonceHash(claims.nonce)}`,
  };
}

/**
 * Why a verified override token cannot act on the app as read, or `undefined`: the failover it names
 * must be the app's latest and must have been refused at its start, and the link must not have been
 * used (its trigger fact is recorded with the failover it started).
 */
export function overrideRefusal(
  state: AppState,
  claims: ApprovalClaims,
): { readonly refusal: TokenRefusal; readonly reason: string } | undefined {
  const trigger = overrideTrigger(claims);
  if (state.handledTriggers?.includes(trigger.eventId) || state.failover?.trigger.eventId === trigger.eventId)
    return { refusal: 'used', reason: 'this "fail over anyway" link was already used; links are single-use' };
  const current = state.failover;
  if (current?.id !== claims.failoverId)
    return {
      refusal: 'not-current',
      reason:
        `this link overrides the refusal of failover ${claims.failoverId}, which is no longer the latest failover of ${claims.app}` +
        (current ? ` (${current.id}, ${current.phase})` : ''),
    };
  if (!wasRefused(current))
    return {
      refusal: 'not-current',
      reason: `failover ${current.id} was not refused at its start (it is ${current.phase}); there is nothing to override`,
    };
  return undefined;
}

/** A failover refused by a gate is created already aborted, with nothing run (see `createFailover`). */
function wasRefused(f: Failover): boolean {
  return f.phase === Phase.Aborted && f.history.length === 1 && f.reason !== null;
}

/**
 * 1. Verify the token (signature, expiry, an override token, an app of the plan set).
 * 2. Read the app: the refused failover must still be the latest and the link unused.
 * 3. Ask for the failover exactly as `standby failover --accept-stale|--accept-cooldown --reason` does,
 *    accepting only the gates the link names; the link's nonce hash is the trigger fact, claimed in the
 *    same conditional write as the failover — so two concurrent POSTs start one failover.
 */
export async function overrideByLink(
  controller: Controller,
  plans: readonly RecoveryPlan[],
  token: string,
  approver: Approver,
  reason: string,
): Promise<OverrideResult> {
  const checked = checkToken(
    token,
    await controller.approvalKeys(),
    controller.clock.now(),
    plans,
    'override',
  );
  if (!checked.ok) return checked;
  const { claims, plan } = checked;
  const why = reason.trim().slice(0, MAX_COMMENT_CHARS);
  if (!why)
    return { ok: false, app: plan.name, reason: 'an override needs a reason; it is kept as evidence' };
  const refused = overrideRefusal(await readAppState(controller.store, plan.name), claims);
  if (refused) return { ok: false, app: plan.name, ...refused };
  const by = approver.authenticated
    ? approver.id
    : `the recipient of ${claims.recipient} (unauthenticated; says "${approver.id}")`;
  const trigger = overrideTrigger(claims);
  const result = await requestFailover(controller, plan, trigger, {
    by,
    reason: why,
    // Stryker disable next-line ArrayDeclaration: an override token always names the gates it accepts (refusal-notices signs one only then).
    accept: claims.accept ?? [],
  });
  if (result.effect === 'failover-started' || result.effect === 'approval-requested')
    return {
      ok: true,
      app: plan.name,
      effect: result.effect,
      reason: `${result.reason}; override by ${by}: ${why}`,
      failoverId: result.failoverId!,
    };
  if (result.effect === 'refused')
    return { ok: false, app: plan.name, reason: `the failover was refused again: ${result.reason}` };
  // Lost a race: another request claimed first. Say whether it was this very link.
  const after = overrideRefusal(await readAppState(controller.store, plan.name), claims);
  return { ok: false, app: plan.name, ...(after ?? { reason: `${result.effect}: ${result.reason}` }) };
}
