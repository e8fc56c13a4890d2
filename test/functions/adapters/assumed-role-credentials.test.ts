import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssumedRoleCredentials } from '#functions/adapters/assumed-role-credentials.ts';
import { InvalidInputError, ProviderError } from '#shared/domain/errors.ts';
import { ManualClock } from '#shared/ports/clock.ts';

const ROLE = 'arn:aws:iam::444455556666:role/standby-controller';
const OTHER = 'arn:aws:iam::777788889999:role/standby-controller';
const sts = mockClient(STSClient);
const start = new Date('2026-11-30T12:00:00Z');

/** STS's answer: a session of `n` that expires an hour after `at`. */
const session = (n: number, at: Date) => ({
  Credentials: {
    AccessKeyId: `ASIA${n}`,
    SecretAccessKey: `secret-${n}`,
    SessionToken: `token-${n}`,
    Expiration: new Date(at.getTime() + 3600_000),
  },
});

function setup() {
  const clock = new ManualClock(start);
  const credentials = new AssumedRoleCredentials({
    client: new STSClient({ region: 'eu-central-1' }),
    roles: new Map([
      ['444455556666', ROLE],
      ['777788889999', OTHER],
    ]),
    clock,
    sessionName: 'standby-eu-central-1',
  });
  return { clock, credentials };
}

describe('AssumedRoleCredentials', () => {
  beforeEach(() => sts.reset());

  it('assumes the account’s role once and shares the session between its clients', async () => {
    sts.on(AssumeRoleCommand).resolvesOnce(session(1, start));
    const { credentials } = setup();
    const [a, b] = await Promise.all([
      credentials.providerFor('444455556666')(),
      credentials.providerFor('444455556666')(),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ accessKeyId: 'ASIA1', sessionToken: 'token-1' });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE,
      RoleSessionName: 'standby-eu-central-1',
      DurationSeconds: 3600,
    });
  });

  it('keeps one session per account', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: ROLE }).resolves(session(1, start));
    sts.on(AssumeRoleCommand, { RoleArn: OTHER }).resolves(session(2, start));
    const { credentials } = setup();
    expect((await credentials.providerFor('444455556666')()).accessKeyId).toBe('ASIA1');
    expect((await credentials.providerFor('777788889999')()).accessKeyId).toBe('ASIA2');
  });

  it.each([
    ['reuses the session until 5 minutes before it expires', 54 * 60, 1],
    ['refreshes it within 5 minutes of expiry', 55 * 60, 2],
  ])('%s', async (_rule, elapsedSeconds, calls) => {
    const { clock, credentials } = setup();
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce(session(1, start))
      .resolves(session(2, new Date(start.getTime() + elapsedSeconds * 1000)));
    const provider = credentials.providerFor('444455556666');
    await provider();
    clock.advance(elapsedSeconds);
    expect((await provider()).accessKeyId).toBe(`ASIA${calls}`);
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, calls);
  });

  it('does not keep a failed AssumeRole: the next use tries again', async () => {
    const denied = Object.assign(new Error('not authorized to perform sts:AssumeRole'), {
      name: 'AccessDenied',
    });
    sts.on(AssumeRoleCommand).rejectsOnce(denied).resolves(session(1, start));
    const provider = setup().credentials.providerFor('444455556666');
    await expect(provider()).rejects.toThrow(ProviderError);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ASIA1' });
  });

  it('refuses an account the plans name no role for, naming the ones they do', () => {
    expect(() => setup().credentials.providerFor('123456789012')).toThrow(
      new InvalidInputError(
        "no role to assume in account 123456789012; name one in the plan's spec.accounts (roles are known for 444455556666, 777788889999)",
      ),
    );
  });

  it('refuses an answer without complete credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: undefined });
    await expect(setup().credentials.providerFor('444455556666')()).rejects.toThrow(
      /sts:AssumeRole: the answer for arn:aws:iam::444455556666:role\/standby-controller carries no complete credentials/,
    );
  });
});
