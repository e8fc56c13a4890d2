/**
 * The simulated Azure Resource Manager, behind the `HttpClient` of `@azure/core-rest-pipeline`: real
 * SDK clients (REST-level and `@azure/arm-*`) build, sign, retry and page their requests as they do
 * against https://management.azure.com, and this client answers them from the world.
 *
 * Each provider module exports its {@link ArmRoute}s; {@link armRoutes} is the registry. A new
 * simulated provider (Traffic Manager, DNS, restores) is one module plus one line there. Every
 * served call goes through {@link SimulatedCloud.call} under `service:OperationId` (the REST spec
 * operationId), so faults, limits and `--stats` work per operation.
 */
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';
import { dataProtectionRoutes } from './data-protection.ts';
import { dnsRoutes } from './dns.ts';
import { recoveryServicesRoutes } from './recovery-services.ts';
import { resourceRoutes } from './resources.ts';
import { restoreRoutes } from './restore.ts';
import { trafficManagerRoutes } from './traffic-manager.ts';

/** An ARM request as a route sees it: decoded, lower-cased path (ids are case-insensitive) and parsed body. */
export interface ArmRequest {
  readonly method: string;
  readonly url: URL;
  /** The path with each segment URI-decoded and lower-cased, without a trailing slash. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The JSON body, parsed; `undefined` when there is none. */
  readonly body: unknown;
  /** The request headers (conditional writes read `If-Match` / `If-None-Match`). */
  readonly headers: PipelineRequest['headers'];
}

/** What a route answers; `body` is serialized as JSON. */
export interface ArmResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a route handler gets: the cloud, the request, its path match, and the page size in force. */
export interface ArmRouteContext {
  readonly cloud: SimulatedCloud;
  readonly request: ArmRequest;
  readonly match: RegExpExecArray;
  readonly pageSize: number;
}

/** One ARM operation: method, lower-case path pattern, the `service:OperationId` it counts as, and its handler. */
export interface ArmRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Matched against {@link ArmRequest.path}; write it in lower case. */
  readonly path: RegExp;
  readonly api: string;
  handle(context: ArmRouteContext): ArmResponse | Promise<ArmResponse>;
}

/**
 * Every simulated ARM operation: the registry. Add a provider's routes here. A function, not a
 * constant, because the provider modules import this module's helpers (an import cycle that must
 * not be read while the modules are still loading).
 */
export function armRoutes(): readonly ArmRoute[] {
  return [
    ...dataProtectionRoutes,
    ...recoveryServicesRoutes,
    ...restoreRoutes,
    ...resourceRoutes,
    ...trafficManagerRoutes,
    ...dnsRoutes,
  ];
}

/** Options of {@link createSimulatedAzureHttpClient}. */
export interface SimulatedAzureHttpClientOptions {
  /** Items per list page before a `nextLink` is given (ARM uses up to a few hundred); default 100. */
  readonly pageSize?: number;
  /** Routes to serve instead of {@link armRoutes}, for tests of the router itself. */
  readonly routes?: readonly ArmRoute[];
}

/** A `Retry-After`-aware ARM error answer, as the real front door writes it. */
export function armError(
  status: number,
  code: string,
  message: string,
  retryAfterSeconds?: number,
): ArmResponse {
  return {
    status,
    body: { error: { code, message } },
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
  };
}

/** The 404 ARM answers for a resource that does not exist. */
export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmResponse {
  return armError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found.`,
  );
}

/**
 * One page of `items` for a list request. The skip token is the offset, base64url-encoded together
 * with `state` (what a POST listing was asked for), because a `nextLink` is followed with a bare GET.
 */
export function pageOf(
  context: ArmRouteContext,
  items: readonly unknown[],
  state: Readonly<Record<string, string>> = {},
): ArmResponse {
  const offset = skipTokenOf(context.request)?.offset ?? 0;
  const end = offset + context.pageSize;
  const value = items.slice(offset, end);
  if (end >= items.length) return { status: 200, body: { value } };
  const next = new URL(context.request.url.href);
  next.searchParams.delete('$skipToken');
  // Written by hand: URLSearchParams would send `%24skipToken`, and ARM's links carry a bare `$`.
  const nextLink = `${next.href}${next.search ? '&' : '?'}$skipToken=${encodeSkipToken({ ...state, offset: String(end) })}`;
  return { status: 200, body: { value, nextLink } };
}

/** The state carried by the request's `$skipToken`, or `undefined` when there is none. */
export function skipTokenOf(
  request: ArmRequest,
): ({ readonly offset: number } & Readonly<Record<string, string | number>>) | undefined {
  const token = request.query.get('$skipToken') ?? request.query.get('$skiptoken');
  if (!token) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new SimulatedApiError('InvalidSkipToken', 400, `The skip token "${token}" is not valid.`);
  }
  const record = decoded as Record<string, string>;
  const offset = Number(record['offset']);
  if (!Number.isInteger(offset) || offset < 0)
    throw new SimulatedApiError('InvalidSkipToken', 400, `The skip token "${token}" is not valid.`);
  return { ...record, offset };
}

function encodeSkipToken(state: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function toArmRequest(request: PipelineRequest): ArmRequest {
  const url = new URL(request.url);
  const path = url.pathname
    .split('/')
    .map((segment) => decodeURIComponent(segment).toLowerCase())
    .join('/')
    .replace(/\/+$/, '');
  let body: unknown;
  if (typeof request.body === 'string' && request.body.length > 0) {
    try {
      body = JSON.parse(request.body);
    } catch {
      body = request.body;
    }
  }
  return {
    method: request.method.toUpperCase(),
    url,
    path,
    query: url.searchParams,
    body,
    headers: request.headers,
  };
}

function toPipelineResponse(request: PipelineRequest, answer: ArmResponse): PipelineResponse {
  const headers = createHttpHeaders({
    'content-type': 'application/json; charset=utf-8',
    'x-ms-request-id': request.requestId,
    ...answer.headers,
  });
  return {
    request,
    status: answer.status,
    headers,
    ...(answer.body === undefined ? {} : { bodyAsText: JSON.stringify(answer.body) }),
  };
}

/**
 * An `HttpClient` answering ARM requests from `cloud`:
 * 1. a request without a bearer token gets 401, as ARM answers it (so a client missing its
 *    credential policy fails here too);
 * 2. the first route whose method and path match serves it through `cloud.call(route.api, ...)`;
 *    an unknown path gets the 404 `InvalidResourceType` ARM answers, never an exception;
 * 3. a {@link SimulatedApiError} (injected fault, throttling) becomes an ARM error body with its
 *    status, and `Retry-After` when the error carries one.
 */
export function createSimulatedAzureHttpClient(
  cloud: SimulatedCloud,
  options: SimulatedAzureHttpClientOptions = {},
): HttpClient {
  const routes = options.routes ?? armRoutes();
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be a positive integer; got ${pageSize}`);
  return {
    async sendRequest(pipelineRequest: PipelineRequest): Promise<PipelineResponse> {
      const request = toArmRequest(pipelineRequest);
      if (!/^Bearer \S+/.test(pipelineRequest.headers.get('authorization') ?? ''))
        return toPipelineResponse(
          pipelineRequest,
          armError(
            401,
            'AuthenticationFailed',
            "Authentication failed. The 'Authorization' header is missing.",
          ),
        );
      const found = routes
        .map((route) => ({
          route,
          match: route.method === request.method ? route.path.exec(request.path) : null,
        }))
        .find((r) => r.match !== null);
      if (!found?.match)
        return toPipelineResponse(
          pipelineRequest,
          armError(
            404,
            'InvalidResourceType',
            `The resource type could not be found for ${request.method} ${request.url.pathname}.`,
          ),
        );
      const { route, match } = found;
      try {
        const answer = await cloud.call(route.api, () => route.handle({ cloud, request, match, pageSize }));
        return toPipelineResponse(pipelineRequest, answer);
      } catch (error) {
        if (!(error instanceof SimulatedApiError)) throw error;
        return toPipelineResponse(
          pipelineRequest,
          armError(error.status, error.errorCode, error.message, error.retryAfterSeconds),
        );
      }
    },
  };
}

/** A credential for the simulation: any scope, a token that never needs refreshing in a run. */
export const simulatedCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: 'simulated-arm-token', expiresOnTimestamp: Date.now() + 24 * 3600 * 1000 };
  },
};
