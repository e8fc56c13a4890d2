import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('bin/standby.js', () => {
  it('runs a real process: audit --json of the examples prints one JSON document and exits 2', async () => {
    const child = await run(
      process.execPath,
      ['bin/standby.js', 'audit', '--plan', 'examples/plans', '--world', 'examples/world.yaml', '--json'],
      { env: { ...process.env, NO_COLOR: '1' } },
    ).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(child.code).toBe(2);
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout).summary).toEqual({
      ok: 8,
      warning: 1,
      breach: 1,
      missing: 1,
      unknown: 0,
    });
  });
});
