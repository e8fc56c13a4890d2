/**
 * Use case: send a failover's approval request to every notify target of its plan, once each.
 */
import { signApprovalToken } from '../domain/approval-token.ts';
import { ConflictError } from '../domain/errors.ts';
import type { Failover } from '../domain/failover.ts';
import { describeTarget, type Notification } from '../ports/notifier.ts';
import type { Controller } from './controller.ts';
import { appKeys } from './failover-repository.ts';

/**
 * 1. Find the notify targets of the failover's stored plan that have no request on record yet.
 * 2. Sign one approve and one reject token naming this failover, expiring with the request.
 * 3. Send to each missing target and record it: a retry after a failure part-way sends only what is
 *    missing (a target whose send landed but whose record did not is asked twice — at least once,
 *    never silently not at all).
 */
export async function sendApprovalRequests(
  controller: Pick<Controller, 'store' | 'notifier' | 'approvalKey'>,
  failover: Failover,
): Promise<void> {
  const { store, notifier } = controller;
  const { plan, approval } = failover;
  if (!approval) return;
  const targets = plan.failover.approval?.notify ?? [];
  const missing = (
    await Promise.all(
      targets.map(async (t, n) =>
        (await store.get(appKeys.notification(plan.name, approval.requestedAt, n))) ? [] : [{ t, n }],
      ),
    )
  ).flat();
  if (missing.length === 0) return;
  const exp = Math.floor(Date.parse(approval.expiresAt) / 1000);
  const base = { app: plan.name, failoverId: failover.id, exp };
  const key = await controller.approvalKey();
  const approveToken = signApprovalToken({ ...base, decision: 'approve' }, key);
  const rejectToken = signApprovalToken({ ...base, decision: 'reject' }, key);
  await Promise.all(
    missing.map(async ({ t, n }) => {
      const notification: Notification = {
        app: plan.name,
        ...describeTarget(t),
        kind: 'approval-request',
        at: approval.requestedAt,
        failoverId: failover.id,
        approveToken,
        rejectToken,
        expiresAt: approval.expiresAt,
        text: `Fail over ${plan.name} to ${plan.recovery.region}? Triggered by ${failover.trigger.ref}. Expires ${approval.expiresAt} (then: ${approval.onTimeout}).`,
      };
      const sent = await notifier.send(notification);
      await store
        .create(appKeys.notification(plan.name, approval.requestedAt, n), {
          ...notification,
          delivered: sent.delivered,
        })
        .catch((e) => {
          if (!(e instanceof ConflictError)) throw e;
        });
    }),
  );
}
