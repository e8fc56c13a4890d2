/**
 * Syntax of the identifiers a plan names: AWS ARNs and Azure resource ids. Checked when a plan is
 * read, so a typo fails `standby validate` instead of a failover.
 */

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):([a-z0-9-]+):([a-z0-9-]*):([^:]*):(.+)$/;
const REGION = /^[a-z]{2}(-gov|-iso|-isob)?-[a-z]+-[0-9]$/;

/** Parses an ARN; `undefined` when the text is not one. */
export function parseArn(text: string): Arn | undefined {
  const m = ARN.exec(text);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}

/** True for an AWS region name such as `eu-central-1`. */
export function isAwsRegion(text: string): boolean {
  return REGION.test(text);
}

/** The kinds of ARN a plan uses, each with the rule it must satisfy and an example for messages. */
export const ArnKind = {
  alarm: {
    service: 'cloudwatch',
    resource: /^alarm:[^\s]+$/,
    example: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
  },
  vault: {
    service: 'backup',
    resource: /^backup-vault:[A-Za-z0-9_.-]{2,50}$/,
    example: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
  },
  snsTopic: {
    service: 'sns',
    resource: /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
    example: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals',
  },
  iamRole: {
    service: 'iam',
    resource: /^role\/[\w+=,.@/-]+$/,
    example: 'arn:aws:iam::111122223333:role/standby-restore',
  },
  routingControl: {
    service: 'route53-recovery-control',
    resource: /^controlpanel\/[a-z0-9]+\/routingcontrol\/[a-z0-9]+$/,
    example: 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/def',
  },
  any: { service: undefined, resource: /.+/, example: 'arn:aws:rds:eu-west-1:111122223333:db:case-db' },
} as const satisfies Record<string, { service: string | undefined; resource: RegExp; example: string }>;
/** A key of {@link ArnKind}. */
export type ArnKind = keyof typeof ArnKind;

/** Checks `text` is an ARN of `kind`; returns the problem in words, or `undefined` when it is fine. */
export function arnProblem(text: string, kind: ArnKind): string | undefined {
  const rule = ArnKind[kind];
  const arn = parseArn(text);
  if (!arn)
    return `"${text}" is not an ARN; expected arn:<partition>:<service>:<region>:<account>:<resource>, e.g. ${rule.example}`;
  if (rule.service && arn.service !== rule.service)
    return `"${text}" is an ARN of service "${arn.service}"; expected a ${rule.service} ARN, e.g. ${rule.example}`;
  if (!rule.resource.test(arn.resource))
    return `"${text}" does not name a valid resource; expected e.g. ${rule.example}`;
  // S3 bucket ARNs carry neither region nor account (arn:aws:s3:::bucket), and AWS Backup protects buckets.
  if (
    // Stryker disable next-line ConditionalExpression: every kind but any names its service, never s3 (checked above).
    kind === 'any' &&
    arn.service === 's3' &&
    arn.region === '' &&
    arn.account === ''
  )
    return undefined;
  const needsRegion = kind !== 'iamRole' && kind !== 'routingControl';
  if (needsRegion && !isAwsRegion(arn.region))
    return `"${text}" has no valid region ("${arn.region}"); expected e.g. ${rule.example}`;
  if (!/^[0-9]{12}$/.test(arn.account))
    return `"${text}" has no 12-digit account id; expected e.g. ${rule.example}`;
  return undefined;
}

/** The segments of an Azure resource id, with the provider-relative type path. */
export interface AzureResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly provider: string;
  /** Alternating type/name pairs after the provider: `[['backupVaults','v'],['backupInstances','bi']]`. */
  readonly segments: readonly (readonly [type: string, name: string])[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses an Azure resource id; `undefined` when it is not one. Matching of names is case-insensitive. */
export function parseAzureId(text: string): AzureResourceId | undefined {
  const parts = text.split('/');
  if (
    parts[0] !== '' ||
    // Stryker disable next-line ConditionalExpression: fewer parts leave no type/name pair, refused below anyway; kept to say the minimum.
    parts.length < 9 ||
    parts.some((p, i) => i > 0 && p === '')
  )
    return undefined;
  // At least 9 parts: parts[1] to parts[8] exist.
  if (parts[1]!.toLowerCase() !== 'subscriptions' || !GUID.test(parts[2]!)) return undefined;
  if (parts[3]!.toLowerCase() !== 'resourcegroups' || parts[5]!.toLowerCase() !== 'providers')
    return undefined;
  const rest = parts.slice(7);
  if (
    // Stryker disable next-line ConditionalExpression: at least 9 parts leave at least 2 after the provider.
    rest.length === 0 ||
    rest.length % 2 !== 0
  )
    return undefined;
  const segments: (readonly [string, string])[] = [];
  for (let i = 0; i < rest.length; i += 2) segments.push([rest[i]!, rest[i + 1]!]);
  return { subscriptionId: parts[2]!, resourceGroup: parts[4]!, provider: parts[6]!, segments };
}

/** The kinds of Azure id a plan uses: provider and type chain, with an example for messages. */
export const AzureIdKind = {
  backupInstance: {
    provider: 'Microsoft.DataProtection',
    types: [['backupVaults'], ['backupInstances']],
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/vault/backupInstances/instance',
  },
  protectedItem: {
    provider: 'Microsoft.RecoveryServices',
    types: [['vaults'], ['backupFabrics'], ['protectionContainers'], ['protectedItems']],
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/vault/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg;vm/protectedItems/VM;iaasvmcontainerv2;rg;vm',
  },
  alertRule: {
    provider: 'Microsoft.Insights',
    types: [['metricAlerts', 'scheduledQueryRules', 'activityLogAlerts', 'webtests']],
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/microsoft.insights/metricAlerts/case-api-availability',
  },
  trafficManagerProfile: {
    provider: 'Microsoft.Network',
    types: [['trafficManagerProfiles']],
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/trafficManagerProfiles/case',
  },
  dnsZone: {
    provider: 'Microsoft.Network',
    types: [['dnszones']],
    example:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/dnszones/example.com',
  },
} as const;
/** A key of {@link AzureIdKind}. */
export type AzureIdKind = keyof typeof AzureIdKind;

/** Checks `text` is an Azure id of `kind`; returns the problem in words, or `undefined` when it is fine. */
export function azureIdProblem(text: string, kind: AzureIdKind): string | undefined {
  const rule = AzureIdKind[kind];
  const id = parseAzureId(text);
  if (!id)
    return `"${text}" is not an Azure resource id; expected /subscriptions/<guid>/resourceGroups/<rg>/providers/<provider>/<type>/<name>..., e.g. ${rule.example}`;
  const ok =
    id.provider.toLowerCase() === rule.provider.toLowerCase() &&
    id.segments.length === rule.types.length &&
    rule.types.every((allowed, i) =>
      // Stryker disable next-line OptionalChaining: the id has as many segments as the rule has types (checked just before).
      (allowed as readonly string[]).some((t) => t.toLowerCase() === id.segments[i]?.[0].toLowerCase()),
    );
  if (!ok)
    return `"${text}" is not a ${rule.provider} ${rule.types.map((t) => t.join('|')).join('/')} id; expected e.g. ${rule.example}`;
  return undefined;
}

/** Azure ids compare case-insensitively; this is the one normal form used for matching. */
export function normalizeAzureId(text: string): string {
  // A loop, not /\/+$/: that regex is tried at every slash and is quadratic on an untrusted id of many
  // slashes (80k took seconds); this is linear.
  let end = text.length;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: at end 0, charCodeAt(-1) is NaN, never a slash, so the loop stops there either way.
  while (end > 0 && text.charCodeAt(end - 1) === SLASH) end--;
  return text.slice(0, end).toLowerCase();
}

const SLASH = 0x2f;
