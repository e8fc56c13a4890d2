/**
 * Webhook URLs (Teams Workflows) that plans name as `secretsmanager:NAME`, read from AWS Secrets
 * Manager on first use and kept for the life of the container; a failed read is not kept, so the next
 * notification tries again. The URL is a secret (whoever has it can post to the channel): it is never
 * logged, and errors name the reference only.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { InvalidInputError } from '#shared/domain/errors.ts';

const SECRETS_MANAGER = /^secretsmanager:(.+)$/;

/** Resolves `secretsmanager:NAME` references through `client`; other forms are refused, naming the one to use. */
export function secretsManagerWebhooks(
  client: SecretsManagerClient,
): (reference: string) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  return (reference) => {
    const name = SECRETS_MANAGER.exec(reference)?.[1];
    if (!name)
      return Promise.reject(
        new InvalidInputError(
          `Teams webhook reference ${reference.slice(0, 24)} cannot be read by the AWS controller; keep the webhook URL in Secrets Manager and write secretsmanager:NAME`,
        ),
      );
    let url = cache.get(name);
    if (!url) {
      url = read(client, name).catch((error: unknown) => {
        cache.delete(name);
        throw error;
      });
      cache.set(name, url);
    }
    return url;
  };
}

async function read(client: SecretsManagerClient, name: string): Promise<string | undefined> {
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
    return out.SecretString?.trim() || undefined;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
