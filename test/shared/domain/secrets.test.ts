import { describe, expect, it } from 'vitest';
import { findLiteralSecrets, redactSecrets } from '#shared/domain/secrets.ts';

// Test values are assembled at run time, so no literal secret-shaped string sits in this file.
const awsKeyId = ['AKIA', 'Z'.repeat(16)].join('');
const password = ['hunter', '2', 'x'].join('');

describe('findLiteralSecrets', () => {
  it.each([
    [
      'a password metadata value',
      { metadata: { MasterUserPassword: password } },
      ['metadata', 'MasterUserPassword'],
      '"MasterUserPassword" holds a literal secret',
    ],
    [
      'an api key field',
      { request: { apiKey: 'abc' } },
      ['request', 'apiKey'],
      '"apiKey" holds a literal secret',
    ],
    [
      'URL credentials',
      { url: `https://ops:${password}@example.com/health` },
      ['url'],
      'the URL carries credentials',
    ],
    [
      'a secret query value',
      { url: 'https://example.com/health?apikey=abc123' },
      ['url'],
      'secret in its query (apikey)',
    ],
    ['an AWS access key id anywhere', { notes: [`key ${awsKeyId}`] }, ['notes', 0], 'an AWS access key id'],
    ['a private key', { k: '-----BEGIN RSA PRIVATE KEY-----\nMII' }, ['k'], 'a private key'],
  ])('finds %s, by path', (_case, doc, path, message) => {
    const [finding, ...more] = findLiteralSecrets(doc);
    expect(more).toEqual([]);
    expect(finding?.path).toEqual(path);
    expect(finding?.message).toContain(message);
    expect(finding?.message).toContain('env:NAME');
  });

  it.each([
    ['an env reference', { MasterUserPassword: 'env:DB_PASSWORD' }],
    [
      'a Secrets Manager ARN',
      { MasterUserPassword: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf' },
    ],
    ['a Key Vault secret URI', { password: 'https://dr-kv.vault.azure.net/secrets/pg-admin' }],
    [
      'a Key Vault reference',
      { clientSecret: '@Microsoft.KeyVault(SecretUri=https://dr-kv.vault.azure.net/secrets/x)' },
    ],
    ['an EFS CreationToken (a request id, not a secret)', { CreationToken: 'case-files-dr' }],
    ['a secret store type enum', { secretStoreType: 'AzureKeyVault' }],
    ['a plain health URL', { url: 'https://case-api.dr.example.com/internal/health?verbose=1' }],
  ])('accepts %s', (_case, doc) => {
    expect(findLiteralSecrets(doc)).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('replaces key formats and URL credentials', () => {
    expect(redactSecrets(`id ${awsKeyId} at https://ops:${password}@example.com/x`)).toBe(
      'id [redacted] at https://[redacted]@example.com/x',
    );
  });
});
