/**
 * The local server on node:http: a route table (path and method → handler), the approval pages at
 * the paths the notifications link to, the dashboard's files, and the JSON API. Errors become answers
 * in one place here; a request with another Host than the server's own is refused (DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApprovalRequest } from '#platform/approval-http/handle-approval-request.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { LocalPlane } from '../local-plane.ts';
import { getEvidence, getStatus, postBreakBackup, postDrill, postEvents, postOutage } from './api.ts';
import { HttpError, hostAllowed, MAX_BODY_BYTES, mediaType, readBody, sendError } from './request.ts';
import { StaticFiles } from './static-files.ts';
import { StatusStream } from './stream.ts';

type Handler = (
  plane: LocalPlane,
  request: IncomingMessage,
  response: ServerResponse,
  app: string,
) => Promise<void>;

/** Fixed paths: method → handler. */
const ROUTES: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
  '/events': { POST: postEvents },
  '/api/status': { GET: getStatus },
  '/api/evidence': { GET: getEvidence },
};

/** `/api/apps/NAME/ACTION` (POST only): the dashboard's controls. */
const CONTROLS: Readonly<Record<string, Handler>> = {
  outage: postOutage,
  drill: postDrill,
  'break-backup': postBreakBackup,
};
const CONTROL_PATH = /^\/api\/apps\/([^/]+)\/([a-z-]+)$/;

/** The approval pages: the paths `approvalLinks` builds. */
const APPROVAL_PATHS = new Set(['/approve', '/reject', '/override']);

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, ends the event streams, waits for open requests. */
  close(): Promise<void>;
}

/** What the server is started with. */
export interface ServerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Opens the plane once the URL is known (approval links point at it). */
  readonly openPlane: (url: string) => Promise<LocalPlane>;
  readonly log?: (message: string) => void;
}

/**
 * 1. Listen on `host:port`, so the URL (and a port 0's real port) is known.
 * 2. Open the plane with that URL; until then, requests are answered 503.
 * 3. Serve.
 */
export async function startServer(
  options: ServerOptions,
): Promise<LocalServer & { readonly plane: LocalPlane }> {
  const log = options.log ?? ((message: string) => console.error(message));
  const files = await StaticFiles.load();
  const hosts = new Set(['localhost', '127.0.0.1', '[::1]', options.host.toLowerCase()]);
  let ready: { plane: LocalPlane; stream: StatusStream } | undefined;
  const server: Server = createServer((request, response) => {
    const handled = ready
      ? route(ready.plane, files, ready.stream, hosts, request, response)
      : Promise.reject(
          new HttpError(503, 'standby serve is starting; try again in a moment', {}, { 'retry-after': '1' }),
        );
    handled.catch((error: unknown) => {
      const answer = asHttpError(error);
      if (answer.status === 500) log(`standby serve: ${request.method} ${request.url}: ${answer.message}`);
      if (response.headersSent) response.end();
      else sendError(response, answer);
    });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === '127.0.0.1' ? 'localhost' : options.host}:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeIdleConnections();
      server.close(() => resolve());
    });
  let plane: LocalPlane;
  try {
    plane = await options.openPlane(url);
  } catch (error) {
    await stop();
    throw error;
  }
  const stream = new StatusStream(plane, log);
  ready = { plane, stream };
  return {
    url,
    port,
    plane,
    close: async () => {
      stream.close();
      await stop();
    },
  };
}

async function route(
  plane: LocalPlane,
  files: StaticFiles,
  stream: StatusStream,
  hosts: ReadonlySet<string>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!hostAllowed(request, hosts))
    throw new HttpError(
      421,
      `this server answers to ${[...hosts].join(', ')} only (Host ${request.headers.host})`,
    );
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = (request.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  const only = (allowed: string) =>
    new HttpError(405, `${method} is not allowed on ${path}; use ${allowed}`, {}, { allow: allowed });

  if (files.has(path)) {
    if (method !== 'GET' && method !== 'HEAD') throw only('GET, HEAD');
    return files.send(path, response, method === 'HEAD');
  }
  if (path === '/api/stream') {
    if (method !== 'GET') throw only('GET');
    return stream.open(request, response);
  }
  if (APPROVAL_PATHS.has(path)) return approvalPage(plane, request, response, method, url);
  const fixed = ROUTES[path];
  if (fixed) {
    const handler = fixed[method];
    if (!handler) throw only(Object.keys(fixed).join(', '));
    return handler(plane, request, response, '');
  }
  const control = CONTROL_PATH.exec(path);
  if (control) {
    const handler = CONTROLS[control[2]!];
    if (!handler)
      throw new HttpError(
        404,
        `no control "${control[2]}"; expected one of: ${Object.keys(CONTROLS).join(', ')}`,
      );
    if (method !== 'POST') throw only('POST');
    return handler(plane, request, response, decodeURIComponent(control[1]!));
  }
  throw new HttpError(
    404,
    `nothing at ${path}; the dashboard is at /, the API under /api/ (see docs/local.md)`,
  );
}

/** The framework-neutral approval pages, as the Lambda and the Azure Function serve them. */
async function approvalPage(
  plane: LocalPlane,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  url: URL,
): Promise<void> {
  const body = method === 'POST' ? await readBody(request, MAX_BODY_BYTES) : undefined;
  const answer = await plane.exclusive(async () => {
    const page = await handleApprovalRequest(
      {
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        ...(body !== undefined ? { body, contentType: mediaType(request) } : {}),
      },
      { controller: plane.controller, plans: plane.plans },
    );
    if (method === 'POST' && page.status === 200) await plane.advanceNow();
    return page;
  });
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidInputError) return new HttpError(400, error.message);
  return new HttpError(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
}
