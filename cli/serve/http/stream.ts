/**
 * `GET /api/stream`: server-sent events. Each client gets the dashboard snapshot when it connects and
 * again after every change of the plane (a tick, an event, a control). The snapshot is built once per
 * change for all clients; changes that come while one is being built are folded into the next.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sourceIdOf } from '../controls/break-backup.ts';
import type { LocalPlane } from '../local-plane.ts';
import { BASE_HEADERS } from './request.ts';

/** What the dashboard draws: the status and evidence documents, drills in flight, the simulated clock. */
export async function dashboardSnapshot(plane: LocalPlane): Promise<unknown> {
  const [status, evidence, drills] = await Promise.all([plane.status(), plane.evidence(), plane.drills()]);
  const scheduled = new Set(plane.cloud.world.backups.map((b) => b.resource.toLowerCase()));
  const plans = plane.plans.map((p) => ({
    name: p.name,
    mode: p.failover.mode,
    warnAt: p.warnAt,
    primary: `${p.primary.cloud} ${p.primary.region}`,
    recovery: `${p.recovery.cloud} ${p.recovery.region}`,
    rtoSeconds: p.rtoSeconds,
    // Resources a "break a backup" can act on: those the world keeps backing up.
    breakable: p.resources.filter((r) => scheduled.has(sourceIdOf(r).toLowerCase())).map((r) => r.name),
  }));
  return {
    sim: { now: plane.cloud.clock.now().toISOString(), speed: plane.speed },
    plans,
    status,
    evidence,
    drills,
  };
}

/** Comment lines keep idle connections open through proxies. */
const HEARTBEAT_MS = 15_000;

export class StatusStream {
  readonly #plane: LocalPlane;
  readonly #clients = new Set<ServerResponse>();
  readonly #log: (message: string) => void;
  #building = false;
  #again = false;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #unsubscribe: () => void;

  constructor(plane: LocalPlane, log: (message: string) => void) {
    this.#plane = plane;
    this.#log = log;
    this.#unsubscribe = plane.onChange(() => void this.#broadcast());
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) client.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  /** Opens a stream for `response` and sends it the current snapshot. */
  async open(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.writeHead(200, {
      ...BASE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    this.#clients.add(response);
    request.on('close', () => this.#clients.delete(response));
    send(response, await dashboardSnapshot(this.#plane));
  }

  /** Ends every stream (the server is stopping). */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#unsubscribe();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  async #broadcast(): Promise<void> {
    if (this.#clients.size === 0) return;
    if (this.#building) {
      this.#again = true;
      return;
    }
    this.#building = true;
    try {
      do {
        this.#again = false;
        const snapshot = await dashboardSnapshot(this.#plane);
        for (const client of this.#clients) send(client, snapshot);
      } while (this.#again && this.#clients.size > 0);
    } catch (error) {
      this.#log(`standby serve: status stream: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#building = false;
    }
  }
}

function send(response: ServerResponse, snapshot: unknown): void {
  response.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
}
