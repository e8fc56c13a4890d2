/**
 * The small HTTP vocabulary of the local server: bodies read with a size limit, content types
 * checked, JSON answers, and errors that say what was wrong and what is expected.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer with an HTTP status and a message naming the problem; nothing was changed. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The largest body any endpoint reads (an EventBridge event is at most 256 KiB; SNS the same). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Headers on every answer of the local server. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The body as text; more than `limit` bytes is a 413 and the rest is not read. */
export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (limit: number) => new HttpError(413, `the body is larger than ${limit} bytes`);

/** The media type of the request, lower case, without parameters; '' when there is none. */
export function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The JSON body of a request that must say `application/json` — which a cross-site form cannot send
 * without the browser asking first, so a web page elsewhere cannot press the dashboard's buttons.
 */
export async function readJson(request: IncomingMessage, allowEmpty = false): Promise<unknown> {
  const type = mediaType(request);
  if (type !== 'application/json')
    throw new HttpError(415, `send the body as application/json (received ${type || 'no content type'})`);
  const text = await readBody(request);
  if (allowEmpty && text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}

/** Sends `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, {
    ...BASE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Sends an error as `{ error, ...details }`. */
export function sendError(response: ServerResponse, error: HttpError): void {
  for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
  sendJson(response, error.status, { error: error.message, ...error.details });
}

/**
 * Host names the server answers to: a page on another site that makes its name resolve to 127.0.0.1
 * (DNS rebinding) sends its own name as Host, and is refused.
 */
export function hostAllowed(request: IncomingMessage, allowed: ReadonlySet<string>): boolean {
  const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  return allowed.has(host);
}
