import { resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fetchApprovalKey, readAwsEnvironment } from '#functions/composition.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';

const _root = resolve(import.meta.dirname, '../..');
const SECRET = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key-AbCdEf';
const secrets = mockClient(SecretsManagerClient);

describe('readAwsEnvironment', () => {
  const complete = {
    STANDBY_PLANS_PATH: '/var/task/plans',
    STATE_TABLE: 'standby-state',
    AWS_REGION: 'eu-central-1',
    APPROVAL_KEY_SECRET_ARN: SECRET,
  };

  it('reads the settings the stack sets, with the default event bus', () => {
    expect(
      readAwsEnvironment({ ...complete, ALERT_TOPIC_ARN: 'arn:aws:sns:eu-central-1:111122223333:alerts' }),
    ).toEqual({
      plansPath: '/var/task/plans',
      stateTable: 'standby-state',
      region: 'eu-central-1',
      approvalKeySecretArn: SECRET,
      alertTopicArn: 'arn:aws:sns:eu-central-1:111122223333:alerts',
      eventBusName: 'default',
    });
  });

  it('names every missing variable at once', () => {
    const { STATE_TABLE: _t, APPROVAL_KEY_SECRET_ARN: _k, ...partial } = complete;
    expect(() => readAwsEnvironment(partial)).toThrow(
      new InvalidInputError(
        'the Standby function is missing environment variable(s) STATE_TABLE, APPROVAL_KEY_SECRET_ARN; the CDK stack sets them',
      ),
    );
  });
});

describe('fetchApprovalKey', () => {
  beforeEach(() => secrets.reset());

  it('returns the secret string as the key', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: 'k'.repeat(64) });
    const key = await fetchApprovalKey(new SecretsManagerClient({ region: 'eu-central-1' }), SECRET);
    expect(key.equals(Buffer.from('k'.repeat(64)))).toBe(true);
  });

  it('refuses a key shorter than 32 bytes, without printing it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short-secret' });
    const error = await fetchApprovalKey(new SecretsManagerClient({ region: 'eu-central-1' }), SECRET).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('holds 12 bytes; at least 32 are required');
    expect(error.message).not.toContain('short-secret');
  });
});
