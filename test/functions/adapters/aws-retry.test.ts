import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsCallPolicy, CallSpacer } from '#functions/adapters/aws-retry.ts';

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

afterEach(() => vi.restoreAllMocks());

describe('CallSpacer', () => {
  it('starts a call that need not wait at once, without a timer', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const spacer = new CallSpacer(50);
    const started: number[] = [];
    await spacer.schedule(async () => started.push(Date.now()));
    expect(started).toHaveLength(1);
    expect(timers).not.toHaveBeenCalled();
  });

  it('spaces the starts of calls asked together by its minimum time, in the order asked', async () => {
    const spacer = new CallSpacer(40);
    const started: { n: number; at: number }[] = [];
    await Promise.all(
      [0, 1, 2, 3].map((n) => spacer.schedule(async () => started.push({ n, at: Date.now() }))),
    );
    expect(started.map((s) => s.n)).toEqual([0, 1, 2, 3]);
    for (let i = 1; i < started.length; i++)
      // Timers may fire a millisecond early by Date.now()'s rounding, never more.
      expect(started[i]!.at - started[i - 1]!.at).toBeGreaterThanOrEqual(39);
  });

  it('does not space calls at all when the rate is unbounded', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const spacer = new CallSpacer(0);
    await Promise.all([1, 2, 3].map(() => spacer.schedule(async () => undefined)));
    expect(timers).not.toHaveBeenCalled();
  });
});

describe('AwsCallPolicy', () => {
  it('runs a call that succeeds first time without setting any timer', async () => {
    const policy = new AwsCallPolicy({
      maxCallsPerSecond: 20,
      maxAttempts: 3,
      baseDelayMs: 1,
      maxDelayMs: 5,
    });
    const timers = vi.spyOn(globalThis, 'setTimeout');
    await expect(policy.run('eu-central-1', 'backup:ListBackupJobs', async () => 'page')).resolves.toBe(
      'page',
    );
    expect(timers).not.toHaveBeenCalled();
  });

  it('keeps separate paces per region', async () => {
    const policy = new AwsCallPolicy({ maxCallsPerSecond: 1, maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 });
    const began = Date.now();
    await Promise.all(
      ['eu-central-1', 'eu-west-1', 'us-east-1'].map((region) =>
        policy.run(region, 'backup:ListBackupJobs', async () => 1),
      ),
    );
    // One call per region: none waits for another region's turn (a second in the same region would).
    expect(Date.now() - began).toBeLessThan(500);
  });
});
