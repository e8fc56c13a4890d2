/**
 * The delete of one AWS resource type that a drill's restore created, by the `CreatedResourceArn` its
 * restore job reported. One module per service under `functions/cleanup/`, each a factory taking its
 * own SDK client per region, so a bundle carries only the clients it uses.
 *
 * Contract of every {@link ServiceDelete} (the port is `RestoredResourceCleaner` in
 * `shared/ports/recovery-actions.ts`):
 * - Idempotent and resumable: called again and again (every 30 s) until it answers `deleted`; each call
 *   reads where the delete is and makes the next move (delete what must go first, then the resource).
 * - `deleted` only when the resource is gone (the service answers "not found", or a terminal state such
 *   as `terminated`); `deleting` while it, or what must go before it, is still being deleted.
 * - Never deletes anything but the created resource and what belongs only to it (an Aurora cluster's
 *   instances, an EFS file system's mount targets, an EKS cluster's node groups, a bucket's objects);
 *   refuses (throws a `ProviderError` naming the call and the reason) what it cannot prove the restore
 *   created, e.g. an S3 restore into an existing bucket.
 * - A refusal or error of the service throws a `ProviderError` naming the call (`efs:DeleteFileSystem`).
 */
import type { Arn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome } from '#shared/ports/recovery-actions.ts';

/** Deletes (or goes on deleting) the resource `arn` names; `resource` is the plan's, as the drill restored it. */
export type ServiceDelete = (arn: Arn, resource: ProtectedResource) => Promise<DeleteOutcome>;

/** Which deletes a cleaner dispatches to: by ARN service, then by resource-type prefix (`db:`, `cluster:`). */
export type ServiceDeletes = Readonly<Record<string, Readonly<Record<string, ServiceDelete>>>>;
