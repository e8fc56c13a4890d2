/**
 * Use case: send a failover's approval request to every notify target of its plan, once each.
 */
import { nonceOf, signApprovalToken } from '../domain/approval-token.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Failover } from '../domain/failover.ts';
import { describeTarget, type Notification, type StoredNotification } from '../ports/notifier.ts';
import type { Controller } from './controller.ts';
import { appKeys } from './failover-repository.ts';

/**
 * 1. Find the notify targets of the failover's stored plan that have no request on record yet.
 * 2. Sign, per target, one approve and one reject token naming this failover and that recipient,
 *    expiring with the request: a decision can always be traced to the channel it came through.
 * 3. Send to each missing target and record it — without the tokens: the store keeps only the hashes
 *    of their nonces (evidence of which token acted), so nobody who can read the store can approve.
 *    A retry after a failure part-way sends only what is missing (a target whose send landed but whose
 *    record did not is asked twice — at least once, never silently not at all).
 */
export async function sendApprovalRequests(
  controller: Pick<Controller, 'store' | 'notifier' | 'approvalKeys' | 'clock'>,
  failover: Failover,
): Promise<void> {
  const { store, notifier } = controller;
  const { plan, approval } = failover;
  if (!approval) return;
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: a failover waits for approval only under a plan with an approval block (createFailover).
  const targets = plan.failover.approval?.notify ?? [];
  const missing = (
    await Promise.all(
      targets.map(async (t, n) =>
        (await store.get(appKeys.notification(plan.name, approval.requestedAt, failover.id, n)))
          ? []
          : [{ t, n }],
      ),
    )
  ).flat();
  if (missing.length === 0) return;
  const exp = Math.floor(Date.parse(approval.expiresAt) / 1000);
  const keys = await controller.approvalKeys();
  const now = controller.clock.now();
  await Promise.all(
    missing.map(async ({ t, n }) => {
      const target = describeTarget(t);
      const recipient = `${target.channel}:${target.target}`;
      const sign = (decision: 'approve' | 'reject') =>
        signApprovalToken({ app: plan.name, failoverId: failover.id, decision, recipient, exp }, keys, now);
      const approveToken = sign('approve');
      const rejectToken = sign('reject');
      const notification: Notification = {
        app: plan.name,
        ...target,
        kind: 'approval-request',
        at: approval.requestedAt,
        failoverId: failover.id,
        approveToken,
        rejectToken,
        expiresAt: approval.expiresAt,
        text: `Fail over ${plan.name} to ${plan.recovery.region}? Triggered by ${failover.trigger.ref}. Expires ${approval.expiresAt} (then: ${approval.onTimeout}).`,
      };
      const sent = await notifier.send(notification);
      const { approveToken: _a, rejectToken: _r, ...withoutTokens } = notification;
      const record: StoredNotification = {
        ...withoutTokens,
        recipient,
        tokenNonces: { approve: nonceOf(approveToken), reject: nonceOf(rejectToken) },
        delivered: sent.delivered,
      };
      await store
        .create(appKeys.notification(plan.name, approval.requestedAt, failover.id, n), record)
        .catch((e) => {
          if (!(e instanceof ConflictError)) throw e;
        });
    }),
  );
}
