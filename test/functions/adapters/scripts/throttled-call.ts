/**
 * Run in a child process by `aws-retry.test.ts`: calls through {@link AwsCallPolicy} where the first
 * attempt is throttled, then a call that stays throttled, with nothing else keeping the event loop
 * alive. Each backoff timer is then the only pending work; the process must wait for it.
 */
import { AwsCallPolicy } from '#functions/adapters/aws-retry.ts';
import { StandbyError } from '#shared/domain/errors.ts';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const policy = new AwsCallPolicy({
  maxCallsPerSecond: 100,
  maxAttempts: 2,
  baseDelayMs: 50,
  maxDelayMs: 100,
});

let calls = 0;
const result = await policy.run('eu-west-1', 'DescribeRestoreJob', async () => {
  calls += 1;
  if (calls === 1) throw throttled();
  return 'COMPLETED';
});
console.log(`first: ${result} after ${calls} attempts`);

try {
  await policy.run('eu-west-1', 'StartRestoreJob', async () => {
    throw throttled();
  });
} catch (error) {
  console.log(`second: ${error instanceof StandbyError ? error.code : String(error)}`);
}
