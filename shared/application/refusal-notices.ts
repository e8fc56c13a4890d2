/**
 * Use case: a refused failover tells the people who would have approved it — why it was refused, what
 * failing over anyway would accept, and how to override the gates that can be overridden.
 */
import { nonceOf, signApprovalToken } from '../domain/approval-token.ts';
import { ConflictError } from '../domain/errors.ts';
import { type Failover, OVERRIDABLE_GATES, type OverridableGate } from '../domain/failover.ts';
import type { GateName } from '../domain/gates.ts';
import { describeTarget, type Notification, type StoredNotification } from '../ports/notifier.ts';
import type { Controller } from './controller.ts';
import { appKeys } from './failover-repository.ts';

/** How long a "fail over anyway" link works when the plan sets no approval timeout. */
export const DEFAULT_OVERRIDE_LINK_SECONDS = 3600;

/**
 * 1. For every notify target of the stored plan with no notice on record for this failover yet:
 * 2. when every refusing gate may be overridden (stale backups, the cooldown), sign a single-use
 *    "fail over anyway" token for that recipient, naming the refused failover and those gates, expiring
 *    with the plan's approval timeout;
 * 3. send the refusal (the reason names each stale resource's age against its RPO: the data an
 *    override would accept losing) with the link and the break-glass command, and record it — without
 *    the token, only its nonce hash.
 * Plans without notify targets (mode automatic) tell the deployment's alert topic instead (wired by
 * the composition roots through the freshness alerts).
 */
export async function sendRefusalNotices(
  controller: Pick<Controller, 'store' | 'notifier' | 'approvalKeys' | 'clock'>,
  failover: Failover,
  // Stryker disable next-line ArrayDeclaration: a default naming a gate that cannot be overridden sends no link either.
  refusing: readonly GateName[] = [],
): Promise<void> {
  const { store, notifier } = controller;
  const { plan } = failover;
  const targets = plan.failover.approval?.notify ?? [];
  const accept = overridable(refusing);
  const lifetime = plan.failover.approval?.timeoutSeconds ?? DEFAULT_OVERRIDE_LINK_SECONDS;
  const expiresAt = new Date(Date.parse(failover.startedAt) + lifetime * 1000);
  const linkWorks = accept !== undefined && expiresAt.getTime() > controller.clock.now().getTime();
  await Promise.all(
    targets.map(async (t, n) => {
      const key = appKeys.notification(plan.name, failover.startedAt, failover.id, n);
      if (await store.get(key)) return;
      const target = describeTarget(t);
      const recipient = `${target.channel}:${target.target}`;
      const overrideToken = linkWorks
        ? signApprovalToken(
            {
              app: plan.name,
              failoverId: failover.id,
              decision: 'override',
              accept,
              recipient,
              exp: Math.floor(expiresAt.getTime() / 1000),
            },
            await controller.approvalKeys(),
            controller.clock.now(),
          )
        : undefined;
      const notification: Notification = {
        app: plan.name,
        ...target,
        kind: 'failover-refused',
        at: failover.startedAt,
        failoverId: failover.id,
        ...(overrideToken ? { overrideToken, expiresAt: expiresAt.toISOString() } : {}),
        text:
          `Failover of ${plan.name} to ${plan.recovery.region} was REFUSED: ${failover.reason}. ` +
          `Triggered by ${failover.trigger.ref}. Only stale backups and the cooldown can be overridden, by a person, ` +
          `with a reason that is kept as evidence: standby failover --app ${plan.name} --accept-stale [--accept-cooldown] --reason "…"` +
          (accept ? '' : '. This refusal names a gate that cannot be overridden.'),
      };
      const sent = await notifier.send(notification);
      const { overrideToken: _o, ...withoutToken } = notification;
      const record: StoredNotification = {
        ...withoutToken,
        recipient,
        ...(overrideToken ? { tokenNonces: { override: nonceOf(overrideToken) } } : {}),
        delivered: sent.delivered,
      };
      await store.create(key, record).catch((e) => {
        if (!(e instanceof ConflictError)) throw e;
      });
    }),
  );
}

/** The refusing gates when every one of them may be overridden; `undefined` when any may not. */
function overridable(refusing: readonly GateName[]): OverridableGate[] | undefined {
  const gates = refusing.filter((g): g is OverridableGate =>
    (OVERRIDABLE_GATES as readonly string[]).includes(g),
  );
  return gates.length > 0 && gates.length === refusing.length ? gates : undefined;
}
