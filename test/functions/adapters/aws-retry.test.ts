import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('AwsCallPolicy in a real process', () => {
  it('keeps the process alive through a throttling backoff that is its only pending work', async () => {
    // Regression: the backoff timer was unref'd, so Node ended the process mid-retry (exit 13 under
    // tsx, no output; a dead invocation in Lambda).
    const child = await run(
      process.execPath,
      ['--import', 'tsx', 'test/functions/adapters/scripts/throttled-call.ts'],
      { cwd: repoRoot },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      ({ code, stdout, stderr }: { code: number; stdout: string; stderr: string }) => ({
        code,
        stdout,
        stderr,
      }),
    );
    expect(child).toEqual({
      code: 0,
      stdout: 'first: COMPLETED after 2 attempts\nsecond: THROTTLED\n',
      stderr: '',
    });
  });
});
