/**
 * What a per-service delete checks before it deletes anything: that the resource is the one a drill's
 * restore created, from the plan's resource as the drill restored it (its `restore.metadata`, drill
 * names applied) and the `CreatedResourceArn` the restore job reported. Several AWS Backup restores
 * can go into an existing resource (an S3 bucket, an EFS file system, an EKS cluster) and then report
 * that resource as created: those are refused, never emptied or deleted.
 */
import { ProviderError } from '#shared/domain/errors.ts';
import { type Arn, parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';

/** The ARN as text, for messages. */
export function arnText(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`;
}

/** A call of the service failed: a `ProviderError` naming the call, the resource and the service's message. */
export function failed(operation: string, arn: Arn, error: unknown): ProviderError {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ProviderError(operation, `${arnText(arn)}: ${why}`, { cause: error });
}

/** A refusal: nothing was deleted, a human must look. */
export function refuse(operation: string, arn: Arn, reason: string): ProviderError {
  return new ProviderError(operation, `refused to delete ${arnText(arn)}: ${reason}; delete it by hand`);
}

/** The AWS Backup restore metadata the drill restored `resource` with, or a refusal when it has none. */
export function restoreMetadata(
  operation: string,
  arn: Arn,
  resource: ProtectedResource,
): Readonly<Record<string, string>> {
  if (resource.source.kind !== 'aws-backup' || !resource.source.restore)
    throw refuse(
      operation,
      arn,
      `${resource.name} has no AWS Backup restore metadata to prove a restore created it`,
    );
  return resource.source.restore.metadata;
}

/** `"true"` in any case, as AWS Backup reads its boolean metadata ("key values are not case sensitive"). */
export function isTrue(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}

/**
 * Refuses unless the metadata says the restore made a new resource (`key` is `"true"`) and the created
 * resource is not the backed-up one. `what` names the resource type in the message.
 */
export function requireNew(
  operation: string,
  arn: Arn,
  resource: ProtectedResource,
  key: string,
  what: string,
): Readonly<Record<string, string>> {
  const metadata = restoreMetadata(operation, arn, resource);
  if (!isTrue(metadata[key]))
    throw refuse(
      operation,
      arn,
      `the drill restore metadata of ${resource.name} does not set ${key} "true" (it is ${metadata[key] === undefined ? 'unset' : `"${metadata[key]}"`}), so the restore may have gone into an existing ${what}`,
    );
  requireNotSource(operation, arn, resource);
  return metadata;
}

/** Refuses when the created resource is the backed-up resource itself (a restore into it). */
export function requireNotSource(operation: string, arn: Arn, resource: ProtectedResource): void {
  if (resource.source.kind !== 'aws-backup') return;
  const source = parseArn(resource.source.resourceArn);
  if (source && source.service === arn.service && source.resource === arn.resource)
    throw refuse(
      operation,
      arn,
      `it is the backed-up resource of ${resource.name}, not a copy the drill restored`,
    );
}

/** Refuses unless the name in the ARN is the one the drill's restore metadata gave (`key`). */
export function requireName(
  operation: string,
  arn: Arn,
  resource: ProtectedResource,
  metadata: Readonly<Record<string, string>>,
  key: string,
  name: string,
): void {
  if (metadata[key] !== name)
    throw refuse(
      operation,
      arn,
      `its name "${name}" is not the ${key} the drill restored ${resource.name} under (${metadata[key] === undefined ? 'unset' : `"${metadata[key]}"`})`,
    );
}
