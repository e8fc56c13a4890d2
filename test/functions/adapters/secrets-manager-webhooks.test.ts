import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { secretsManagerWebhooks } from '#functions/adapters/secrets-manager-webhooks.ts';

const WEBHOOK =
  'https://prod-00.westeurope.logic.azure.invalid/workflows/standby-test/triggers/manual/paths/invoke';
const secrets = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: 'eu-central-1' });

describe('secretsManagerWebhooks', () => {
  beforeEach(() => secrets.reset());

  it('reads secretsmanager:NAME once per container', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'standby/teams/payments' })
      .resolves({ SecretString: `${WEBHOOK}\n` });
    const resolve = secretsManagerWebhooks(client());
    expect(await resolve('secretsmanager:standby/teams/payments')).toBe(WEBHOOK);
    expect(await resolve('secretsmanager:standby/teams/payments')).toBe(WEBHOOK);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  });

  it('answers undefined for a secret that does not exist, and tries again after a failed read', async () => {
    const resolve = secretsManagerWebhooks(client());
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('x'), { name: 'ResourceNotFoundException' }));
    expect(await resolve('secretsmanager:missing')).toBeUndefined();
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: WEBHOOK });
    await expect(resolve('secretsmanager:standby/teams/x')).rejects.toThrow('slow down');
    expect(await resolve('secretsmanager:standby/teams/x')).toBe(WEBHOOK);
  });

  it('refuses env: and other reference forms, naming the one to use', async () => {
    await expect(secretsManagerWebhooks(client())('env:TEAMS_WEBHOOK_URL')).rejects.toThrow(
      'keep the webhook URL in Secrets Manager and write secretsmanager:NAME',
    );
    expect(secrets).not.toHaveReceivedCommand(GetSecretValueCommand);
  });
});
