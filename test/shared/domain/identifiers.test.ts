import { describe, expect, it } from 'vitest';
import {
  type ArnKind,
  type AzureIdKind,
  arnProblem,
  azureIdProblem,
  isAwsRegion,
  normalizeAzureId,
  parseArn,
  parseAzureId,
} from '#shared/domain/identifiers.ts';

const SUB = '00000000-0000-0000-0000-000000000000';

describe('parseArn', () => {
  it('splits an ARN into its parts, keeping colons and slashes of the resource', () => {
    expect(parseArn('arn:aws:backup:eu-central-1:111122223333:recovery-point:rp-1')).toEqual({
      partition: 'aws',
      service: 'backup',
      region: 'eu-central-1',
      account: '111122223333',
      resource: 'recovery-point:rp-1',
    });
    expect(parseArn('arn:aws:iam::111122223333:role/path/standby')?.region).toBe('');
    expect(parseArn('arn:aws-us-gov:s3:::bucket')?.partition).toBe('aws-us-gov');
  });

  it.each(['', 'case-db', 'arn:aws:rds', 'arn:azure:rds:eu-west-1:111122223333:db:x', 'ARN:aws:rds:r:a:b'])(
    'rejects "%s"',
    (text) => {
      expect(parseArn(text)).toBeUndefined();
    },
  );
});

describe('isAwsRegion', () => {
  it.each([
    { text: 'eu-central-1', ok: true },
    { text: 'us-east-1', ok: true },
    { text: 'ap-southeast-2', ok: true },
    { text: 'us-gov-west-1', ok: true },
    { text: 'westeurope', ok: false },
    { text: 'eu-central', ok: false },
    { text: 'EU-CENTRAL-1', ok: false },
    { text: 'eu-central-10', ok: false },
    { text: '', ok: false },
  ])('says $ok for "$text"', ({ text, ok }) => {
    expect(isAwsRegion(text)).toBe(ok);
  });
});

describe('arnProblem', () => {
  it.each<{ kind: ArnKind; text: string }>([
    { kind: 'alarm', text: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health' },
    { kind: 'vault', text: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault' },
    { kind: 'snsTopic', text: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals' },
    { kind: 'snsTopic', text: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals.fifo' },
    { kind: 'iamRole', text: 'arn:aws:iam::111122223333:role/standby-restore' },
    { kind: 'iamRole', text: 'arn:aws:iam::111122223333:role/service-role/AWSBackupDefaultServiceRole' },
    {
      kind: 'routingControl',
      text: 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/def',
    },
    { kind: 'any', text: 'arn:aws:rds:eu-west-1:111122223333:db:case-db' },
    { kind: 'any', text: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders' },
    { kind: 'any', text: 'arn:aws:s3:::case-evidence-bucket' },
  ])('accepts a $kind ARN: $text', ({ kind, text }) => {
    expect(arnProblem(text, kind)).toBeUndefined();
  });

  it.each<{ kind: ArnKind; text: string; problem: string }>([
    { kind: 'alarm', text: 'case-api-health', problem: 'is not an ARN; expected arn:<partition>' },
    {
      kind: 'alarm',
      text: 'arn:aws:sns:eu-west-1:111122223333:alarm:x',
      problem: 'is an ARN of service "sns"; expected a cloudwatch ARN',
    },
    {
      kind: 'alarm',
      text: 'arn:aws:cloudwatch:eu-west-1:111122223333:dashboard/x',
      problem: 'does not name a valid resource',
    },
    { kind: 'alarm', text: 'arn:aws:cloudwatch:eu-west-1:11112222333:alarm:x', problem: '12-digit account' },
    {
      kind: 'alarm',
      text: 'arn:aws:cloudwatch:eu-west-1:1111222233334:alarm:x',
      problem: '12-digit account',
    },
    { kind: 'alarm', text: 'arn:aws:cloudwatch::111122223333:alarm:x', problem: 'has no valid region ("")' },
    {
      kind: 'vault',
      text: 'arn:aws:backup:eu-central-1:111122223333:backup-plan:x',
      problem: 'valid resource',
    },
    {
      kind: 'vault',
      text: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:x',
      problem: 'valid resource',
    },
    { kind: 'iamRole', text: 'arn:aws:iam::111122223333:user/alice', problem: 'valid resource' },
    { kind: 'snsTopic', text: 'arn:aws:sns:eu-central-1:111122223333:a:b', problem: 'valid resource' },
  ])('rejects a $kind ARN "$text" saying "$problem"', ({ kind, text, problem }) => {
    const message = arnProblem(text, kind);
    expect(message).toContain(problem);
    expect(message).toContain(text);
    expect(message).toContain('e.g. arn:aws:');
  });
});

describe('parseAzureId', () => {
  it('splits an id into subscription, group, provider and type/name pairs', () => {
    expect(
      parseAzureId(
        `/subscriptions/${SUB}/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/bi`,
      ),
    ).toEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg-dr',
      provider: 'Microsoft.DataProtection',
      segments: [
        ['backupVaults', 'v'],
        ['backupInstances', 'bi'],
      ],
    });
  });

  it.each([
    { why: 'no leading slash', text: `subscriptions/${SUB}/resourceGroups/rg/providers/P/t/n` },
    {
      why: 'a subscription that is not a GUID',
      text: '/subscriptions/sub/resourceGroups/rg/providers/P/t/n',
    },
    { why: 'no resource group', text: `/subscriptions/${SUB}/providers/P/t/n/x/y` },
    { why: 'a type without a name', text: `/subscriptions/${SUB}/resourceGroups/rg/providers/P/t/n/x` },
    { why: 'an empty segment', text: `/subscriptions/${SUB}/resourceGroups//providers/P/t/n` },
    { why: 'no type at all', text: `/subscriptions/${SUB}/resourceGroups/rg/providers/P` },
  ])('rejects an id with $why', ({ text }) => {
    expect(parseAzureId(text)).toBeUndefined();
  });
});

describe('azureIdProblem', () => {
  const base = `/subscriptions/${SUB}/resourceGroups/rg`;
  it.each<{ kind: AzureIdKind; text: string }>([
    {
      kind: 'backupInstance',
      text: `${base}/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/i`,
    },
    {
      kind: 'backupInstance',
      text: `${base}/providers/microsoft.dataprotection/BACKUPVAULTS/v/backupinstances/i`,
    },
    {
      kind: 'protectedItem',
      text: `${base}/providers/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/protectionContainers/c;1/protectedItems/vm;1`,
    },
    { kind: 'alertRule', text: `${base}/providers/microsoft.insights/metricAlerts/case-api` },
    { kind: 'alertRule', text: `${base}/providers/Microsoft.Insights/scheduledQueryRules/q` },
    { kind: 'alertRule', text: `${base}/providers/Microsoft.Insights/activityLogAlerts/a` },
    { kind: 'trafficManagerProfile', text: `${base}/providers/Microsoft.Network/trafficManagerProfiles/p` },
    { kind: 'dnsZone', text: `${base}/providers/Microsoft.Network/dnszones/example.com` },
  ])('accepts a $kind id (case-insensitively): $text', ({ kind, text }) => {
    expect(azureIdProblem(text, kind)).toBeUndefined();
  });

  it.each<{ kind: AzureIdKind; text: string; problem: string }>([
    {
      kind: 'alertRule',
      text: '/subscriptions/not-a-guid/resourceGroups/rg/providers/microsoft.insights/metricAlerts/x',
      problem: 'is not an Azure resource id; expected /subscriptions/<guid>/',
    },
    {
      kind: 'alertRule',
      text: `${base}/providers/Microsoft.Compute/metricAlerts/x`,
      problem: 'is not a Microsoft.Insights metricAlerts|scheduledQueryRules|activityLogAlerts|webtests id',
    },
    {
      kind: 'backupInstance',
      text: `${base}/providers/Microsoft.DataProtection/backupVaults/v`,
      problem: 'is not a Microsoft.DataProtection backupVaults/backupInstances id',
    },
    {
      kind: 'protectedItem',
      text: `${base}/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/i`,
      problem: 'is not a Microsoft.RecoveryServices',
    },
    {
      kind: 'trafficManagerProfile',
      text: `${base}/providers/Microsoft.Network/dnszones/example.com`,
      problem: 'is not a Microsoft.Network trafficManagerProfiles id',
    },
  ])('rejects a $kind id saying "$problem"', ({ kind, text, problem }) => {
    const message = azureIdProblem(text, kind);
    expect(message).toContain(problem);
    expect(message).toContain('e.g. /subscriptions/');
  });
});

describe('normalizeAzureId', () => {
  it('lower-cases and drops trailing slashes, so ids compare as Azure compares them', () => {
    expect(
      normalizeAzureId(`/subscriptions/${SUB}/resourceGroups/RG/providers/Microsoft.Network/dnszones/X/`),
    ).toBe(`/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.network/dnszones/x`);
  });
});
