/**
 * How Standby's Azure adapters talk to Azure Resource Manager: one way to build clients (endpoint,
 * credential scope, retries, transport) and one way to page and to read ARM errors.
 *
 * Retries are core-rest-pipeline's default retry policy, present in every pipeline it builds
 * (`createPipelineFromOptions`): a 429 or 503 with `Retry-After` waits exactly that long
 * (throttlingRetryStrategy), other 5xx, 408 and network errors back off exponentially with jitter
 * (exponentialRetryStrategy); both share `maxRetries`. In simulation only the transport changes
 * (`httpClient`), so the same policies run against the simulated ARM.
 */

import type { HttpClient, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { type Client, getClient, type PathUncheckedResponse } from '@azure-rest/core-client';
import { normalizeAzureId, parseAzureId } from '#shared/domain/identifiers.ts';

/** The public-cloud ARM endpoint. */
export const ARM_ENDPOINT = 'https://management.azure.com';

/** What an adapter needs to reach ARM. */
export interface ArmConnectionOptions {
  /** `DefaultAzureCredential` in production, `simulatedCredential` in simulation. */
  readonly credential: TokenCredential;
  /** The transport; the simulated ARM in simulation, Node's HTTPS by default. */
  readonly httpClient?: HttpClient;
  /** ARM endpoint of the cloud, e.g. `https://management.usgovcloudapi.net`; default {@link ARM_ENDPOINT}. */
  readonly endpoint?: string;
  /** Retry tuning (`maxRetries`, `retryDelayInMs`, `maxRetryDelayInMs`); default core-rest-pipeline's 3 / 1 s / 64 s. */
  readonly retryOptions?: PipelineRetryOptions;
}

/** Client options shared by REST-level and `@azure/arm-*` clients, resolved from {@link ArmConnectionOptions}. */
export interface ResolvedArmOptions {
  readonly endpoint: string;
  /** The AAD scope of ARM for this endpoint: `{endpoint}/.default`. */
  readonly scope: string;
  readonly httpClient?: HttpClient;
  readonly retryOptions?: PipelineRetryOptions;
  readonly userAgentOptions: { readonly userAgentPrefix: string };
}

/** Resolves endpoint and scope; rejects an endpoint that is not an https URL (tokens go only over TLS). */
export function resolveArmOptions(options: ArmConnectionOptions): ResolvedArmOptions {
  const endpoint = (options.endpoint ?? ARM_ENDPOINT).replace(/\/+$/, '');
  if (!/^https:\/\/[^/]+$/.test(endpoint))
    throw new RangeError(
      `ARM endpoint must be an https origin such as ${ARM_ENDPOINT}; got "${options.endpoint}"`,
    );
  return {
    endpoint,
    scope: `${endpoint}/.default`,
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
    ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
    userAgentOptions: { userAgentPrefix: 'standby' },
  };
}

/** A REST-level ARM client (`@azure-rest/core-client`) that adds `api-version` to requests lacking one. */
export function createArmClient(options: ArmConnectionOptions, apiVersion: string): Client {
  const resolved = resolveArmOptions(options);
  return getClient(resolved.endpoint, options.credential, {
    apiVersion,
    credentials: { scopes: [resolved.scope] },
    ...(resolved.httpClient ? { httpClient: resolved.httpClient } : {}),
    ...(resolved.retryOptions ? { retryOptions: resolved.retryOptions } : {}),
    userAgentOptions: resolved.userAgentOptions,
  });
}

/** An ARM answer that is not 2xx, after the pipeline's retries, with ARM's error code and message. */
export class ArmRequestError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    message: string,
  ) {
    super(`${operation}: HTTP ${status}${errorCode ? ` ${errorCode}` : ''}: ${message}`);
    this.name = 'ArmRequestError';
  }
}

/** Throws {@link ArmRequestError} unless the response is 2xx; returns its JSON body. */
export function armBody(operation: string, response: PathUncheckedResponse): unknown {
  const status = Number(response.status);
  if (status >= 200 && status < 300) return response.body;
  const error = (response.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  throw new ArmRequestError(
    operation,
    status,
    typeof error?.code === 'string' ? error.code : undefined,
    typeof error?.message === 'string' ? error.message : 'no error message in the response',
  );
}

/** ARM lists that run longer than this are treated as a service loop, not read forever. */
const MAX_PAGES = 1000;

/**
 * Every item of an ARM list: the first page from `first`, then each `nextLink` with a GET (as the
 * generated SDKs follow `x-ms-pageable` links, POST listings included) until there is none.
 */
export async function listAll<T>(
  client: Client,
  operation: string,
  first: () => PromiseLike<PathUncheckedResponse>,
): Promise<T[]> {
  const items: T[] = [];
  let response = await first();
  for (let page = 1; ; page += 1) {
    const body = armBody(operation, response) as { value?: T[]; nextLink?: string | null } | undefined;
    items.push(...(body?.value ?? []));
    if (!body?.nextLink) return items;
    if (page >= MAX_PAGES)
      throw new ArmRequestError(operation, 200, undefined, `more than ${MAX_PAGES} pages; stopped reading`);
    response = await client.pathUnchecked(body.nextLink).get();
  }
}

/** An ARM path for an id and more segments, each segment percent-encoded (Recovery Services names hold `;`). */
export function armPath(id: string, ...more: string[]): string {
  return [...id.split('/'), ...more]
    .map((segment) => (segment === '' ? '' : encodeURIComponent(segment)))
    .join('/');
}

/** The id of the vault an id is under: the first `type/name` pair after the provider. */
export function vaultIdOf(id: string): string | undefined {
  const parsed = parseAzureId(id);
  const vault = parsed?.segments[0];
  if (!parsed || !vault) return undefined;
  return `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/${parsed.provider}/${vault[0]}/${vault[1]}`;
}

/**
 * A cache of one lookup per key (normalised Azure id): concurrent callers share one request, and a
 * failed lookup is forgotten so the next observation tries again.
 */
export class OncePerKey<T> {
  readonly #entries = new Map<string, Promise<T>>();

  get(key: string, load: () => Promise<T>): Promise<T> {
    const k = normalizeAzureId(key);
    const cached = this.#entries.get(k);
    if (cached) return cached;
    const loading = load();
    this.#entries.set(k, loading);
    loading.catch(() => this.#entries.delete(k));
    return loading;
  }
}

/** The message of anything thrown, for `{ ok: false, error }`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
