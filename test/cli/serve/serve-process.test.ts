import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { SERVE_PLANS, SERVE_WORLD } from './serve-harness.ts';

/** `standby serve` as a user starts it: its own process, through bin/standby.js. */
function spawnServe(stateDir: string): { child: ChildProcess; output: () => string; url: Promise<string> } {
  const child = spawn(
    process.execPath,
    [
      'bin/standby.js',
      'serve',
      '--port',
      '0',
      '--speed',
      '600',
      '--plan',
      SERVE_PLANS,
      '--world',
      SERVE_WORLD,
      '--state-dir',
      stateDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /Standby dashboard: (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`standby serve exited ${code} before listening:\n${out}`)));
  });
  return { child, output: () => out, url };
}

/** The clock of the serve world file: where a first start begins. */
const WORLD_CLOCK = '2026-11-21T12:00:00.000Z';

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('standby serve process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops cleanly on %s: exit 0, state kept, and a restart goes on from it',
    async (signal) => {
      const stateDir = await mkdtemp(join(tmpdir(), 'standby-serve-proc-'));
      const first = spawnServe(stateDir);
      const url = await first.url;
      // Wait for the first tick to move the simulated clock (a loaded machine may take a while), so
      // the saved clock differs from the world file's and the restart can be seen resuming from it.
      let status = { generatedAt: WORLD_CLOCK };
      for (let i = 0; i < 200 && status.generatedAt <= WORLD_CLOCK; i++) {
        status = (await (await fetch(`${url}/api/status`)).json()) as { generatedAt: string };
        if (status.generatedAt <= WORLD_CLOCK) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status.generatedAt > WORLD_CLOCK).toBe(true);
      // While it serves, the other commands are refused, naming it: its state is its own.
      const refused = await runCli([
        'status',
        '--plan',
        SERVE_PLANS,
        '--world',
        SERVE_WORLD,
        '--state',
        stateDir,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`in use by standby serve \\(process ${first.child.pid}, ${url}\\)`),
      );
      const stream = await fetch(`${url}/api/stream`); // an open event stream must not hold the exit up
      const done = exited(first.child);
      first.child.kill(signal);
      expect(await done).toBe(0);
      await stream.body?.cancel().catch(() => undefined);
      expect(first.output()).toMatch(/standby serve stopped; state kept in/);

      const second = spawnServe(stateDir);
      try {
        const again = (await (await fetch(`${await second.url}/api/status`)).json()) as {
          generatedAt: string;
        };
        // The simulated clock resumes from the saved one, not from the world file's.
        expect(Date.parse(again.generatedAt)).toBeGreaterThanOrEqual(Date.parse(status.generatedAt));
        expect(second.output()).not.toContain(`${WORLD_CLOCK}; state`);
      } finally {
        const end = exited(second.child);
        second.child.kill('SIGTERM');
        expect(await end).toBe(0);
      }
    },
    60_000,
  );
});
