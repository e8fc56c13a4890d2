/**
 * The AWS side of `RestoredResourceCleaner`: deletes what a drill's AWS Backup restore created, by the
 * `CreatedResourceArn` its restore job reported, with the delete of that resource type
 * (`functions/cleanup/<service>.ts`, each following `service-delete.ts`). It dispatches on the ARN's
 * service and resource-type prefix; a type with no delete is refused, named, for a human.
 *
 * It runs in the clean-up Lambdas (`functions/handlers/cleanup*.ts`, each over the deletes whose
 * clients fit its bundle: `groups.ts`) and in the CLI (over all of them: `all-deletes.ts`). The
 * controller's functions reach it through `functions/adapters/lambda-restored-resource-cleaner.ts`.
 *
 * The clients act in the account whose credentials they hold: a delete of another account's resource
 * by its identifier would find nothing there and count it as deleted. So an ARN of any other account
 * is refused before a delete is called.
 */
import { ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import type { ServiceDelete, ServiceDeletes } from './service-delete.ts';

/** The operation named by the cleaner's own refusals. */
const OPERATION = 'standby:DeleteRestored';

/** One map of several services' deletes; two deletes for one service and prefix is a programming error. */
export function mergeDeletes(...maps: readonly ServiceDeletes[]): ServiceDeletes {
  const merged: Record<string, Record<string, ServiceDelete>> = {};
  for (const map of maps)
    for (const [service, byPrefix] of Object.entries(map)) {
      const own = merged[service] ?? {};
      for (const [prefix, run] of Object.entries(byPrefix)) {
        if (own[prefix]) throw new Error(`two deletes for ${service} ${prefix}`);
        own[prefix] = run;
      }
      merged[service] = own;
    }
  return merged;
}

/** What {@link AwsRestoredResourceCleaner} is built from. */
export interface AwsRestoredResourceCleanerOptions {
  readonly deletes: ServiceDeletes;
  /** The account the clients act in (read once, on the first delete, e.g. by `sts:GetCallerIdentity`). */
  readonly account: () => Promise<string>;
}

/** Dispatches each created resource to its type's delete; see the module comment. */
export class AwsRestoredResourceCleaner implements RestoredResourceCleaner {
  constructor(private readonly options: AwsRestoredResourceCleanerOptions) {}

  async delete(resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    const arn = parseArn(createdResource);
    if (!arn) throw new ProviderError(OPERATION, `cannot delete "${createdResource}": it is not an ARN`);
    const byPrefix = this.options.deletes[arn.service] ?? {};
    // The longest prefix that matches, so `db:` and a longer `db:x` could never both claim one type.
    const prefix = Object.keys(byPrefix)
      .filter((p) => arn.resource.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    const run = prefix === undefined ? undefined : byPrefix[prefix];
    if (!run) {
      const known = Object.keys(byPrefix);
      throw new ProviderError(
        OPERATION,
        `cannot delete ${createdResource}: no delete is known for this resource type (${arn.service} ${known.length > 0 ? `deletes ${known.join(', ')} only` : 'has none'}); delete it by hand`,
      );
    }
    const account = await this.options.account();
    // S3 bucket ARNs carry no account (`arn:aws:s3:::name`): a bucket is the caller's or answers AccessDenied.
    if (arn.account && arn.account !== account)
      throw new ProviderError(
        OPERATION,
        `cannot delete ${createdResource}: it is in account ${arn.account}, and this clean-up acts in ${account} only; delete it by hand`,
      );
    return run(arn, resource);
  }
}
