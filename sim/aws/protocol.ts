/**
 * Wire helpers for the simulated AWS services: reading a signed SDK request (path, query, body),
 * answering in the restJson1 protocol (the JSON body and `x-amzn-errortype` error shape the SDK
 * deserializes), routing restJson1 operations by method and path template, and opaque pagination.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { type HttpRequest, HttpResponse } from '@smithy/protocol-http';
import { SimulatedApiError, type SimulatedCloud } from '../cloud.ts';

/** Answers one SDK request for one service, in that service's protocol. */
export type AwsServiceModule = (
  cloud: SimulatedCloud,
  request: HttpRequest,
  region: string,
) => Promise<HttpResponse>;

/** The wire protocols of the AWS services Standby calls; each spells errors its own way. */
export type AwsProtocol = 'restJson1' | 'awsJson1_0' | 'awsJson1_1' | 'restXml' | 'awsQuery';

/** What a restJson1 operation handler receives: path labels, query string and JSON body, decoded. */
export interface RestJsonInput {
  readonly region: string;
  /** Path labels by their template name, URI-decoded (e.g. `BackupVaultName`). */
  readonly labels: Readonly<Record<string, string>>;
  readonly query: QueryParams;
  /** The parsed JSON body; `undefined` when the request has none. */
  readonly body: unknown;
}

/** One restJson1 operation: its HTTP binding (as in the SDK's model) and what it answers. */
export interface RestJsonRoute {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path template as in the model, e.g. `/backup-vaults/{BackupVaultName}/recovery-points`. */
  readonly path: string;
  /** Returns the JSON response body (status 200), or throws {@link SimulatedApiError}. */
  readonly handle: (cloud: SimulatedCloud, input: RestJsonInput) => unknown;
}

/**
 * A restJson1 service from its routes. Each matched call goes through `cloud.call('service:Operation')`
 * so it is counted, faulted and rate-limited; a path that matches no route is answered with
 * `UnknownOperationException`, as AWS does, and is not counted (it names no operation).
 */
export function restJsonService(service: string, routes: readonly RestJsonRoute[]): AwsServiceModule {
  const compiled = routes.map((route) => ({ route, match: compilePath(route.path) }));
  return async (cloud, request, region) => {
    const segments = pathSegments(request.path);
    for (const { route, match } of compiled) {
      if (route.method !== request.method.toUpperCase()) continue;
      const labels = match(segments);
      if (!labels) continue;
      try {
        const body = await readJsonBody(request);
        const output = await cloud.call(`${service}:${route.operation}`, () =>
          route.handle(cloud, { region, labels, query: new QueryParams(request.query), body }),
        );
        return jsonResponse(200, output ?? {});
      } catch (error) {
        if (error instanceof SimulatedApiError) return errorResponse('restJson1', error);
        throw error;
      }
    }
    return errorResponse(
      'restJson1',
      new SimulatedApiError(
        'UnknownOperationException',
        404,
        `The simulated ${service} service has no operation for ${request.method} ${request.path}`,
      ),
    );
  };
}

/** A 200-style JSON response, as restJson1 and awsJson services send it. */
export function jsonResponse(statusCode: number, body: unknown): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  });
}

/**
 * An error response in `protocol`'s shape, so the SDK raises an exception named `error.errorCode`
 * with `$metadata.httpStatusCode` = `error.status`:
 * - restJson1: `x-amzn-errortype` header and a JSON body with the message;
 * - awsJson1_x: JSON body with `__type`;
 * - restXml / awsQuery: `<ErrorResponse><Error><Code>` XML.
 */
export function errorResponse(protocol: AwsProtocol, error: SimulatedApiError): HttpResponse {
  const requestId = randomUUID();
  const retryAfter: Record<string, string> =
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  if (protocol === 'restXml' || protocol === 'awsQuery') {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<ErrorResponse><Error><Type>${type}</Type><Code>${escapeXml(error.errorCode)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return new HttpResponse({
      statusCode: error.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...retryAfter },
      body: Buffer.from(xml, 'utf8'),
    });
  }
  const body =
    protocol === 'restJson1'
      ? { Code: error.errorCode, Message: error.message, message: error.message }
      : { __type: error.errorCode, message: error.message };
  return new HttpResponse({
    statusCode: error.status,
    headers: {
      'content-type': protocol === 'restJson1' ? 'application/json' : 'application/x-amz-json-1.1',
      'x-amzn-requestid': requestId,
      ...(protocol === 'restJson1' ? { 'x-amzn-errortype': error.errorCode } : {}),
      ...retryAfter,
    },
    body: Buffer.from(JSON.stringify(body), 'utf8'),
  });
}

/** Typed access to a request's query string; a malformed value is the service's 400, not a crash. */
export class QueryParams {
  constructor(private readonly raw: HttpRequest['query']) {}

  /** The value of `name`, the first one when repeated. */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (v === null || v === undefined) return undefined;
    return Array.isArray(v) ? v[0] : v;
  }

  /** An integer within `[min, max]`; anything else is `InvalidParameterValueException`. */
  int(name: string, range: { min: number; max: number }): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < range.min || n > range.max)
      throw invalidParameter(`${name} must be an integer from ${range.min} to ${range.max}; got "${text}"`);
    return n;
  }

  /** A timestamp (ISO-8601 as the SDK writes query timestamps, or epoch seconds) in epoch seconds. */
  epochSeconds(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
    if (Number.isNaN(ms)) throw invalidParameter(`${name} must be a timestamp; got "${text}"`);
    return ms / 1000;
  }

  /** `true`/`false`; anything else is `InvalidParameterValueException`. */
  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false')
      throw invalidParameter(`${name} must be true or false; got "${text}"`);
    return text === 'true';
  }
}

/** The 400 AWS services answer for a parameter out of range or malformed. */
export function invalidParameter(message: string): SimulatedApiError {
  return new SimulatedApiError('InvalidParameterValueException', 400, message);
}

/** One page of a listing, with the token for the next one when more remain. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/**
 * Cuts `items` into pages of `maxResults`, the way AWS List* APIs do. The token is opaque to the
 * client and bound to `scope` (operation and filters): a token replayed with other filters, or one
 * that was never issued, is rejected as the real services reject it.
 */
export function paginate<T>(
  items: readonly T[],
  options: { maxResults: number; nextToken: string | undefined; scope: string },
): Page<T> {
  const start = options.nextToken === undefined ? 0 : decodeToken(options.nextToken, options.scope);
  const end = start + options.maxResults;
  const page = items.slice(start, end);
  return end < items.length ? { items: page, nextToken: encodeToken(end, options.scope) } : { items: page };
}

function encodeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope }), 'utf8').toString('base64url');
}

function decodeToken(token: string, scope: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      parsed &&
      typeof parsed === 'object' &&
      'o' in parsed &&
      's' in parsed &&
      Number.isInteger(parsed.o) &&
      (parsed.o as number) >= 0 &&
      parsed.s === scope
    )
      return parsed.o as number;
  } catch {
    // Falls through to the service's own answer for a token it did not issue.
  }
  throw invalidParameter('The nextToken is not valid for this request; pass the token of the previous page');
}

/** Path segments, URI-decoded, without empty ones: a trailing slash (as in the API reference) is ignored. */
function pathSegments(path: string): string[] {
  return path
    .split('?')[0]!
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** Compiles `/a/{B}/c` into a matcher of decoded segments that returns the labels, or undefined. */
function compilePath(template: string): (segments: readonly string[]) => Record<string, string> | undefined {
  const parts = template.split('/').filter((s) => s !== '');
  return (segments) => {
    if (segments.length !== parts.length) return undefined;
    const labels: Record<string, string> = {};
    for (const [i, part] of parts.entries()) {
      const segment = segments[i]!;
      const label = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
      if (label) labels[label[1]!] = segment;
      else if (part !== segment) return undefined;
    }
    return labels;
  };
}

async function readJsonBody(request: HttpRequest): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new SimulatedApiError('SerializationException', 400, 'The request body is not valid JSON');
  }
}

/** The request body as text, whichever form the SDK handed it over in. */
export async function readBody(request: HttpRequest): Promise<string> {
  const body: unknown = request.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  // Read the bytes through their buffer: the SDK's JSON body adapter warns when treated as a string.
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  }
  throw new TypeError(`Unsupported request body type: ${Object.prototype.toString.call(body)}`);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
