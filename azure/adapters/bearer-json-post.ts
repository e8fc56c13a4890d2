/**
 * A JSON POST to an Azure data-plane endpoint with a managed-identity bearer token (the token for
 * `scope`, cached and refreshed by the pipeline): what the Event Grid publisher and the custom
 * metrics writer share. A transport failure is a `ProviderError` of `operation`; each caller judges the
 * status and builds its refusal with {@link BearerJsonPost.refused} (the status's error code).
 */
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { ProviderError } from '#shared/domain/errors.ts';
import { errorCodeOfStatus } from './arm-pipeline.ts';

/** Posts JSON bodies to one URL. */
export class BearerJsonPost {
  readonly #client: HttpClient;
  readonly #pipeline: Pipeline;

  constructor(
    private readonly options: {
      readonly url: string;
      readonly credential: TokenCredential;
      readonly scope: string;
      readonly operation: string;
      readonly contentType: string;
      readonly httpClient?: HttpClient;
    },
  ) {
    this.#client = options.httpClient ?? createDefaultHttpClient();
    this.#pipeline = createPipelineFromOptions({ userAgentOptions: { userAgentPrefix: 'standby' } });
    this.#pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope }),
    );
  }

  /**
   * Posts `body` and answers the status and body text. A transport failure throws a `ProviderError`
   * of the operation, its message prefixed by `what`.
   */
  async post(body: unknown, what = ''): Promise<{ readonly status: number; readonly text?: string }> {
    const { url, operation, contentType } = this.options;
    const request = createPipelineRequest({
      url,
      method: 'POST',
      headers: createHttpHeaders({ 'content-type': contentType }),
      body: JSON.stringify(body),
    });
    try {
      const response = await this.#pipeline.sendRequest(this.#client, request);
      return { status: response.status, ...(response.bodyAsText ? { text: response.bodyAsText } : {}) };
    } catch (error) {
      throw new ProviderError(operation, `${what}${(error as Error).message}`, { cause: error });
    }
  }

  /** A refusal (an answer that is not a success) as the provider error of the operation. */
  refused(status: number, message: string): ProviderError {
    return new ProviderError(this.options.operation, message, { code: errorCodeOfStatus(status) });
  }
}
