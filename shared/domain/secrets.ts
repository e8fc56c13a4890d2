/**
 * Literal secrets in a plan: a plan file is reviewed, versioned and printed, so it must never hold a
 * password, key or token — only a reference to where one is kept (`env:NAME`, a Secrets Manager ARN,
 * an Azure Key Vault secret URI or `@Microsoft.KeyVault(…)` reference). Pure: walks any document and
 * names every place that holds, or looks like it holds, a secret.
 */

/** One literal secret found, by path. */
export interface SecretFinding {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Field names that hold secrets: names that END in one of these words (MasterUserPassword, apiKey). */
const SECRET_NAME =
  /(password|passwd|pwd|secret|token|apikey|api_key|api-key|accesskey|access_key|privatekey|private_key|connectionstring|sastoken|credentials?)$/i;

/** Names that end like secrets but are not: request identifiers (EFS `CreationToken`, `ClientToken`, …). */
const NOT_SECRET_NAME = /(creation|idempotency|client|next|continuation|pagination|request)token$/i;

/** Query parameters that carry secrets in a URL. */
const SECRET_QUERY =
  /^(api[-_]?key|key|token|access[-_]?token|secret|password|pwd|sig|signature|code|auth)$/i;

/** Recognisable key formats, wherever they appear. */
const KEY_FORMATS: readonly (readonly [string, RegExp])[] = [
  ['an AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36}\b/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['a JSON web token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
  ['an Azure storage connection string', /AccountKey=[A-Za-z0-9+/=]{20,}/],
];

/** References that name where a secret is kept, instead of holding it. */
const REFERENCE =
  /^(env:[A-Za-z_][A-Za-z0-9_]*|arn:aws[a-z-]*:secretsmanager:[^\s]+|\{\{resolve:(secretsmanager|ssm-secure):[^\s]+\}\}|@Microsoft\.KeyVault\([^\s]+\)|https:\/\/[a-z0-9-]+\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[^\s]+)$/;

/** The way out, said in every finding. */
export const SECRET_REFERENCE_HINT =
  'give a reference instead: env:NAME, a Secrets Manager ARN, or a Key Vault secret URI / @Microsoft.KeyVault(...)';

/** Every literal secret in `value`, with its path below `at`. Strings over 64 KiB are not scanned. */
export function findLiteralSecrets(value: unknown, at: readonly (string | number)[] = []): SecretFinding[] {
  if (typeof value === 'string') return secretsInText(value, at);
  if (Array.isArray(value)) return value.flatMap((v, i) => findLiteralSecrets(v, [...at, i]));
  // Stryker disable next-line ConditionalExpression: any other truthy non-string (a number, a boolean) has no own entries, so Object.entries finds nothing either way.
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => {
      const path = [...at, key];
      const secretName = SECRET_NAME.test(key) && !NOT_SECRET_NAME.test(key);
      if (typeof v === 'string' && v !== '' && secretName && !REFERENCE.test(v))
        return [{ path, message: `"${key}" holds a literal secret; ${SECRET_REFERENCE_HINT}` }];
      return findLiteralSecrets(v, path);
    });
  return [];
}

function secretsInText(text: string, path: readonly (string | number)[]): SecretFinding[] {
  if (text.length > 65_536) return [];
  const format = KEY_FORMATS.find(([, pattern]) => pattern.test(text));
  if (format) return [{ path, message: `holds what looks like ${format[0]}; ${SECRET_REFERENCE_HINT}` }];
  if (!/^https?:\/\//i.test(text)) return [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [];
  }
  if (url.username || url.password)
    return [{ path, message: `the URL carries credentials (user:password@); ${SECRET_REFERENCE_HINT}` }];
  const named = [...url.searchParams.keys()].filter((k) => SECRET_QUERY.test(k) && url.searchParams.get(k));
  if (named.length)
    return [
      {
        path,
        message: `the URL carries a secret in its query (${named.join(', ')}); ${SECRET_REFERENCE_HINT}`,
      },
    ];
  return [];
}

/** `text` with every secret-looking part replaced by `[redacted]`, for outputs and logs. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [, pattern] of KEY_FORMATS) out = out.replace(new RegExp(pattern.source, 'g'), '[redacted]');
  return out.replace(/(https?:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@');
}
