/**
 * Issue OPERATOR points 2 and 7, through a real process: `status --json` says `activeSite: unknown`
 * when the routing cannot be read (no guess), and `standby … | head -1` — a reader that goes away —
 * ends the command as it would have ended, with its own exit code and no stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-process-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/standby.js; with `closeStdout`, the reader of its stdout is gone before it writes. */
function standby(args: readonly string[], env: NodeJS.ProcessEnv, closeStdout = false): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/standby.js', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    if (closeStdout) child.stdout.destroy();
    else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** No credentials to find and every AWS endpoint refusing at once: offline, and fast. */
const UNREACHABLE_AWS: NodeJS.ProcessEnv = {
  PATH: process.env['PATH'],
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'example-not-a-key',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true',
};

describe('standby status against clouds it cannot read', () => {
  it('says activeSite unknown (and freshness unknown) rather than guessing primary', async () => {
    const run = await standby(
      ['status', '--plan', 'test/fixtures/replay/plan.yaml', '--state', join(dir, 'state'), '--json'],
      { ...UNREACHABLE_AWS, HOME: dir, AZURE_CONFIG_DIR: join(dir, 'azure') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout) as {
      apps: { name: string; activeSite: string; freshness: { status: string }[] }[];
    };
    expect(status.apps.map((a) => [a.name, a.activeSite])).toEqual([['orders', 'unknown']]);
    expect(status.apps[0]!.freshness.every((f) => f.status === 'unknown')).toBe(true);
  }, 60_000);
});

describe('standby with its output reader gone (… | head -1)', () => {
  const env = () => ({ PATH: process.env['PATH'], HOME: dir, NO_COLOR: '1' });

  it.each([
    [
      'audit, one write, exit 2 for its breach',
      ['audit', '--plan', 'examples/plans', '--world', 'examples/world.yaml'],
    ],
    [
      'a dry run writing line by line, exit 2 for its refusing gate',
      [
        'failover',
        '--plan',
        'examples/plans',
        '--world',
        'examples/world.yaml',
        '--app',
        'payments',
        '--dry-run',
      ],
    ],
  ])(
    '%s: ends with the exit code the command gives, no stack trace',
    async (_what, args) => {
      const withState = args.includes('failover') ? [...args, '--state', join(dir, 'state')] : args;
      const whole = await standby(withState, env());
      expect(whole.code).toBe(2);
      const cut = await standby(withState, env(), true);
      expect(cut.stderr).toBe('');
      expect(cut.code).toBe(whole.code);
    },
    60_000,
  );
});
