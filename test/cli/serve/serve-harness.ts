/**
 * `standby serve` in-process for tests: the real command (server, plane, ticks) on a free port, a
 * fresh state directory, and a stop that sends the command its SIGTERM — through an emitter, so the
 * test process's own signals are left alone.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServeOptions, serveCommand } from '#cli/serve/serve-command.ts';

/** The serve tests' plans and world: the examples, with payments able to fail over (see the fixture). */
export const SERVE_PLANS = 'test/fixtures/serve/plans';
export const SERVE_WORLD = 'test/fixtures/serve/world.yaml';

/** A running `standby serve`. */
export interface ServeRun {
  readonly url: string;
  readonly stateDir: string;
  readonly output: () => string;
  /** Sends SIGTERM and waits for the command's exit code. */
  stop(): Promise<number>;
}

/** Starts `standby serve` on port 0 with `options` over the serve fixtures. */
export async function startServe(options: Partial<ServeOptions> = {}): Promise<ServeRun> {
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'standby-serve-')));
  const signals = new EventEmitter();
  let out = '';
  const io = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (out += text) },
  };
  const exit = serveCommand(
    {
      plan: [SERVE_PLANS],
      world: SERVE_WORLD,
      host: '127.0.0.1',
      port: 0,
      speed: 60,
      ...options,
      stateDir,
    },
    io,
    signals,
  );
  const failed = exit.then((code) => {
    throw new Error(`standby serve ended with ${code} before it listened:\n${out}`);
  });
  const url = await Promise.race([waitForUrl(() => out), failed]);
  return {
    url,
    stateDir,
    output: () => out,
    stop: async () => {
      signals.emit('SIGTERM');
      return exit;
    },
  };
}

async function waitForUrl(output: () => string): Promise<string> {
  for (;;) {
    const match = /Standby dashboard: (http:\/\/\S+)/.exec(output());
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A JSON request to the server; the answer's status and parsed body. */
export async function request(
  url: string,
  init: { method?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined ? { 'content-type': init.contentType ?? 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // an HTML page or plain text stays text
  }
  return { status: response.status, body, headers: response.headers };
}
