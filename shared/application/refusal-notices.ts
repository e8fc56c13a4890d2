/**
 * Use case: a refused failover tells the people who would have approved it — why it was refused, what
 * failing over anyway would accept, and how to override the gates that can be overridden.
 */
import { ConflictError } from '../domain/errors.ts';
import type { Failover } from '../domain/failover.ts';
import { describeTarget, type Notification, type StoredNotification } from '../ports/notifier.ts';
import type { Controller } from './controller.ts';
import { appKeys } from './failover-repository.ts';

/**
 * 1. For every notify target of the stored plan with no notice on record for this failover yet:
 * 2. send the refusal (the reason names each stale resource's age against its RPO: the data an
 *    override would accept losing) with the break-glass command, and record it.
 * Plans without notify targets (mode automatic) tell the deployment's alert topic instead (wired by
 * the composition roots through the freshness alerts).
 */
export async function sendRefusalNotices(
  controller: Pick<Controller, 'store' | 'notifier'>,
  failover: Failover,
): Promise<void> {
  const { store, notifier } = controller;
  const { plan } = failover;
  const targets = plan.failover.approval?.notify ?? [];
  await Promise.all(
    targets.map(async (t, n) => {
      const key = appKeys.notification(plan.name, failover.startedAt, n);
      if (await store.get(key)) return;
      const notification: Notification = {
        app: plan.name,
        ...describeTarget(t),
        kind: 'failover-refused',
        at: failover.startedAt,
        failoverId: failover.id,
        text:
          `Failover of ${plan.name} to ${plan.recovery.region} was REFUSED: ${failover.reason}. ` +
          `Triggered by ${failover.trigger.ref}. Only stale backups and the cooldown can be overridden, by a person, ` +
          `with a reason that is kept as evidence: standby failover --app ${plan.name} --accept-stale [--accept-cooldown] --reason "…"`,
      };
      const sent = await notifier.send(notification);
      const record: StoredNotification = { ...notification, delivered: sent.delivered };
      await store.create(key, record).catch((e) => {
        if (!(e instanceof ConflictError)) throw e;
      });
    }),
  );
}
