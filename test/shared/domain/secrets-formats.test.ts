/**
 * Every secret shape `findLiteralSecrets` knows, one row each, with the near miss that must pass.
 * Values are assembled at run time, so no literal secret-shaped string sits in this file.
 */
import { describe, expect, it } from 'vitest';
import { findLiteralSecrets, redactSecrets } from '#shared/domain/secrets.ts';

const rep = (c: string, n: number) => c.repeat(n);
const messageOf = (value: unknown) => findLiteralSecrets(value)[0]?.message ?? null;

describe('findLiteralSecrets: key formats', () => {
  it.each([
    ['a GitHub token', ['ghp', '_', rep('a', 36)].join(''), ['ghx', '_', rep('a', 36)].join('')],
    ['a Slack token', ['xoxb', '-', rep('1', 10)].join(''), ['xoxb', '-', rep('1', 9)].join('')],
    [
      'a JSON web token',
      ['eyJ', rep('a', 8), '.eyJ', rep('b', 8), '.', rep('c', 8)].join(''),
      ['eyJ', rep('a', 8), '.eyJ', rep('b', 8), '.', rep('c', 7)].join(''),
    ],
    ['an Azure storage connection string', `AccountKey=${rep('A', 20)}`, `AccountKey=${rep('A', 19)}`],
  ])('finds %s, and not its near miss', (name, value, nearMiss) => {
    expect(messageOf({ notes: value })).toBe(
      `holds what looks like ${name}; give a reference instead: env:NAME, a Secrets Manager ARN, or a Key Vault secret URI / @Microsoft.KeyVault(...)`,
    );
    expect(findLiteralSecrets({ notes: nearMiss })).toEqual([]);
  });

  it('does not scan text over 64 KiB, and scans text of exactly 64 KiB', () => {
    const key = ['AKIA', rep('Z', 16)].join('');
    expect(findLiteralSecrets({ notes: `${key}${rep(' ', 65_536 - 20)}` })).toHaveLength(1);
    expect(findLiteralSecrets({ notes: `${key}${rep(' ', 65_536 - 19)}` })).toEqual([]);
  });
});

describe('findLiteralSecrets: field names', () => {
  it.each([
    'password',
    'dbPasswd',
    'pwd',
    'clientSecret',
    'token',
    'apikey',
    'api_key',
    'api-key',
    'AccessKey',
    'access_key',
    'privateKey',
    'private_key',
    'ConnectionString',
    'sasToken',
    'credential',
    'credentials',
  ])('treats a literal in %s as a secret', (name) => {
    expect(findLiteralSecrets({ [name]: 'value-1' })).toEqual([
      { path: [name], message: expect.stringContaining(`"${name}" holds a literal secret`) },
    ]);
  });

  it.each([
    'passwordPolicy',
    'tokenType',
    'CreationToken',
    'idempotencyToken',
    'clientToken',
    'nextToken',
    'continuationToken',
    'paginationToken',
    'requestToken',
  ])('does not treat %s as a secret name', (name) => {
    expect(findLiteralSecrets({ [name]: 'value-1' })).toEqual([]);
  });

  it('treats a secret name that ends in a secret word as a secret, even if it starts like a request token', () => {
    expect(findLiteralSecrets({ clientTokenSecret: 'value-1' })).toEqual([
      {
        path: ['clientTokenSecret'],
        message: expect.stringContaining('"clientTokenSecret" holds a literal secret'),
      },
    ]);
  });

  it('ignores an empty or non-text value in a secret field, and scans below it', () => {
    expect(findLiteralSecrets({ password: '', token: 42, secret: null })).toEqual([]);
    expect(findLiteralSecrets({ credentials: { password: 'value-1' } })).toHaveLength(1);
  });

  it.each([
    'env:DB_PASSWORD',
    'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:db-AbCdEf',
    '{{resolve:secretsmanager:db:SecretString:password}}',
    '{{resolve:ssm-secure:/db/password:1}}',
    '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)',
    'https://kv.vault.azure.cn/secrets/x',
    'https://kv.vault.usgovcloudapi.net/secrets/x',
  ])('accepts the reference %s', (reference) => {
    expect(findLiteralSecrets({ password: reference })).toEqual([]);
  });

  it.each([
    'env:1DB',
    'x env:DB',
    'env:DB x',
    'arn:aws:secretsmanager: x',
    'https://kv.vault.example.com/secrets/x',
  ])('does not take %j for a reference', (value) => {
    expect(findLiteralSecrets({ password: value })).toHaveLength(1);
  });
});

describe('findLiteralSecrets: URLs', () => {
  it.each([
    'key',
    'token',
    'access_token',
    'access-token',
    'accesstoken',
    'sig',
    'signature',
    'code',
    'auth',
    'api-key',
    'API_KEY',
  ])('finds a secret in the query parameter %s', (param) => {
    expect(messageOf({ url: `https://example.com/x?a=1&${param}=v` })).toContain(
      `the URL carries a secret in its query (${param})`,
    );
  });

  it.each(['keyword', 'mykey', 'authority', 'codes'])('does not flag the query parameter %s', (param) => {
    expect(findLiteralSecrets({ url: `https://example.com/x?${param}=v` })).toEqual([]);
  });

  it('names every secret parameter, and skips empty ones', () => {
    expect(messageOf({ url: 'https://example.com/x?token=a&sig=b&code=' })).toContain('(token, sig)');
  });

  it('finds credentials in an http URL, and reads no URL that does not start with a scheme', () => {
    expect(messageOf({ url: 'HTTP://ops:pw@example.com/' })).toContain('the URL carries credentials');
    expect(findLiteralSecrets({ url: 'see https://ops:pw@example.com/' })).toEqual([]);
    expect(findLiteralSecrets({ url: 'https://[bad' })).toEqual([]);
  });

  it.each([
    ['a user name alone (a token given as the user)', 'https://tok-1@example.com/repo.git'],
    ['a password alone', 'https://:pw-1@example.com/'],
  ])('finds credentials in a URL carrying %s', (_case, url) => {
    expect(findLiteralSecrets({ url })).toEqual([
      { path: ['url'], message: expect.stringContaining('the URL carries credentials (user:password@)') },
    ]);
  });
});

describe('redactSecrets', () => {
  it('redacts every occurrence, and credentials of http URLs too', () => {
    const key = ['AKIA', rep('Z', 16)].join('');
    expect(redactSecrets(`${key} ${key} http://u:p@h/`)).toBe('[redacted] [redacted] http://[redacted]@h/');
  });
});
