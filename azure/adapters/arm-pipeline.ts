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
import { ErrorCode, ProviderError, StandbyError } from '#shared/domain/errors.ts';
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

/** The options every `@azure/arm-*` SDK client takes, resolved from {@link ArmConnectionOptions}. */
export interface ArmSdkClientOptions {
  readonly endpoint: string;
  readonly credentialScopes: string[];
  readonly userAgentOptions: { readonly userAgentPrefix: string };
  readonly httpClient?: HttpClient;
  readonly retryOptions?: PipelineRetryOptions;
}

/** Options for an `@azure/arm-*` client: the same endpoint, scope, transport and retries as REST clients. */
export function armSdkClientOptions(options: ArmConnectionOptions): ArmSdkClientOptions {
  const resolved = resolveArmOptions(options);
  return {
    endpoint: resolved.endpoint,
    credentialScopes: [resolved.scope],
    userAgentOptions: resolved.userAgentOptions,
    ...(resolved.httpClient ? { httpClient: resolved.httpClient } : {}),
    ...(resolved.retryOptions ? { retryOptions: resolved.retryOptions } : {}),
  };
}

/**
 * `@azure/arm-*` clients, one per subscription: those SDKs bind the subscription at construction.
 * The endpoint is checked when this is built, so a bad one fails the adapter's constructor.
 */
export class SubscriptionClients<C> {
  readonly #clients = new Map<string, C>();
  readonly #credential: TokenCredential;
  readonly #options: ArmSdkClientOptions;

  constructor(
    connection: ArmConnectionOptions,
    private readonly create: (
      credential: TokenCredential,
      subscriptionId: string,
      options: ArmSdkClientOptions,
    ) => C,
  ) {
    this.#credential = connection.credential;
    this.#options = armSdkClientOptions(connection);
  }

  /** The client of `subscriptionId` (case-insensitive, as ARM ids are). */
  get(subscriptionId: string): C {
    const key = subscriptionId.toLowerCase();
    let client = this.#clients.get(key);
    if (!client) {
      client = this.create(this.#credential, subscriptionId, this.#options);
      this.#clients.set(key, client);
    }
    return client;
  }
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

/** The domain error code of an ARM HTTP status; what callers switch on. */
export function errorCodeOfStatus(status: number | undefined): ErrorCode {
  if (status === 401 || status === 403) return ErrorCode.Unauthorized;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 429) return ErrorCode.Throttled;
  if (status === 409 || status === 412) return ErrorCode.Conflict;
  return ErrorCode.Provider;
}

/**
 * Any failure of an ARM call as a domain error: Standby's own errors pass through; an
 * {@link ArmRequestError} (REST clients) or a `RestError` (`@azure/arm-*` clients, `statusCode`) becomes a
 * {@link ProviderError} coded by its status; anything else (transport) a plain provider failure.
 */
export function toArmProviderError(operation: string, error: unknown): StandbyError {
  if (error instanceof StandbyError) return error;
  if (error instanceof ArmRequestError)
    return new ProviderError(error.operation, error.message.replace(`${error.operation}: `, ''), {
      cause: error,
      code: errorCodeOfStatus(error.status),
    });
  const status = (error as { statusCode?: number } | undefined)?.statusCode;
  const message = describeError(error);
  return new ProviderError(operation, status ? `HTTP ${status}: ${message}` : message, {
    cause: error,
    code: errorCodeOfStatus(status),
  });
}

/** Runs `work`, turning what it throws into a domain error ({@link toArmProviderError}). */
export async function guardArm<T>(operation: string, work: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toArmProviderError(operation, error);
  }
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
 * The `location` of a vault (or any ARM resource) from its GET, as ARM writes it (`westeurope`,
 * `West Europe`); an error when the answer has none, since a region decides which API to call.
 */
export async function resourceLocation(client: Client, operation: string, id: string): Promise<string> {
  const body = armBody(operation, await client.pathUnchecked(armPath(id)).get()) as
    | { location?: unknown }
    | undefined;
  if (typeof body?.location !== 'string' || body.location === '')
    throw new ArmRequestError(operation, 200, undefined, `${id} has no location in its answer`);
  return body.location;
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
