/**
 * The controller's `RestoredResourceCleaner`: asks the clean-up function that carries the created
 * resource's ARN service (`functions/cleanup/groups.ts`) to delete it, synchronously
 * (`lambda:InvokeFunction`, `RequestResponse`), and returns its `DeleteOutcome`. The deletes' SDK
 * clients live in those functions' bundles, not in the advance and events bundles
 * (docs/deploy-aws.md). A refusal or failure of the clean-up function comes back as `FunctionError`
 * with its message, and is thrown as a `ProviderError` carrying that message. A service no clean-up
 * function carries is refused without an invoke.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { ProviderError } from '#shared/domain/errors.ts';
import { parseArn } from '#shared/domain/identifiers.ts';
import type { ProtectedResource } from '#shared/domain/plan.ts';
import type { DeleteOutcome, RestoredResourceCleaner } from '#shared/ports/recovery-actions.ts';
import { toProviderError } from './aws-retry.ts';

/** What the clean-up function answers on success. */
const outcomeSchema = z.strictObject({ state: z.enum(['deleted', 'deleting']), detail: z.string() });

/** What Lambda's runtime answers for a function that threw (`FunctionError` set). */
const functionErrorSchema = z.looseObject({ errorType: z.string().optional(), errorMessage: z.string() });

const OPERATION = 'lambda:InvokeFunction';

/** What {@link LambdaRestoredResourceCleaner} is built from. */
export interface LambdaRestoredResourceCleanerOptions {
  readonly client: LambdaClient;
  /** The clean-up function (name or ARN) of each ARN service (`CLEANUP_FUNCTIONS`). */
  readonly functions: ReadonlyMap<string, string>;
}

/** Deletes through the clean-up function; see the module comment. */
export class LambdaRestoredResourceCleaner implements RestoredResourceCleaner {
  constructor(private readonly options: LambdaRestoredResourceCleanerOptions) {}

  async delete(resource: ProtectedResource, createdResource: string): Promise<DeleteOutcome> {
    const what = `clean-up of ${createdResource}`;
    const service = parseArn(createdResource)?.service ?? '';
    const functionName = this.options.functions.get(service);
    if (!functionName)
      throw new ProviderError(
        'standby:DeleteRestored',
        `cannot delete ${createdResource}: no clean-up function deletes ${service ? `${service} resources` : 'what is not an ARN'} (deployed for: ${[...this.options.functions.keys()].join(', ') || 'none'}); delete it by hand`,
      );
    const answer = await this.options.client
      .send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify({ resource, createdResource })),
        }),
      )
      .catch((error: unknown) => {
        throw toProviderError(OPERATION, error, 1, what);
      });
    const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
    const body = parseJson(text);
    if (answer.FunctionError) {
      const failure = functionErrorSchema.safeParse(body);
      throw new ProviderError(
        OPERATION,
        `${what}: ${failure.success ? `${failure.data.errorType ? `${failure.data.errorType}: ` : ''}${failure.data.errorMessage}` : `the function failed (${answer.FunctionError}) without a message`}`,
      );
    }
    const outcome = outcomeSchema.safeParse(body);
    if (!outcome.success)
      throw new ProviderError(
        OPERATION,
        `${what}: the clean-up function answered ${text.slice(0, 200) || 'nothing'}, not { state: deleted | deleting, detail }`,
      );
    return outcome.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
