/**
 * The edges of the identifier rules: anchors, the S3 exception to region and account, and every
 * segment of an Azure id checked, each with a near miss.
 */
import { describe, expect, it } from 'vitest';
import {
  type ArnKind,
  arnProblem,
  azureIdProblem,
  isAwsRegion,
  parseArn,
  parseAzureId,
} from '#shared/domain/identifiers.ts';

const SUB = '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

describe('parseArn: the whole text is the ARN', () => {
  it.each([
    ['text before it', 'see arn:aws:rds:eu-west-1:111122223333:db:case-db'],
    ['a second line after it', 'arn:aws:rds:eu-west-1:111122223333:db:case-db\nrm -rf'],
  ])('rejects an ARN with %s', (_case, text) => {
    expect(parseArn(text)).toBeUndefined();
  });
});

describe('isAwsRegion: the whole text is the region', () => {
  it.each(['xeu-central-1', '1eu-central-1', 'eu-central-1 '])('rejects %j', (text) => {
    expect(isAwsRegion(text)).toBe(false);
  });
});

describe('arnProblem: only an S3 bucket ARN goes without region and account', () => {
  it.each<{ kind: ArnKind; text: string; problem: string }>([
    { kind: 'any', text: 'arn:aws:s3:eu-west-1::case-bucket', problem: 'has no 12-digit account id' },
    { kind: 'any', text: 'arn:aws:s3::111122223333:case-bucket', problem: 'has no valid region ("")' },
    { kind: 'any', text: 'arn:aws:rds:eu-west-1::db:case-db', problem: 'has no 12-digit account id' },
    { kind: 'any', text: 'arn:aws:rds:::db:case-db', problem: 'has no valid region ("")' },
    { kind: 'iamRole', text: 'arn:aws:iam:::role/standby-restore', problem: 'has no 12-digit account id' },
    {
      kind: 'alarm',
      text: 'arn:aws:cloudwatch:eu-west-1::alarm:case-api-health',
      problem: 'has no 12-digit account id',
    },
  ])('rejects the $kind ARN $text: "$problem"', ({ kind, text, problem }) => {
    expect(arnProblem(text, kind)).toBe(`"${text}" ${problem}; expected e.g. ${exampleOf(kind)}`);
  });

  it('accepts an S3 bucket ARN without region and account, and an S3 access point ARN with both', () => {
    expect(arnProblem('arn:aws:s3:::case-bucket', 'any')).toBeUndefined();
    expect(arnProblem('arn:aws:s3:eu-west-1:111122223333:accesspoint/case', 'any')).toBeUndefined();
  });
});

function exampleOf(kind: ArnKind): string {
  return {
    any: 'arn:aws:rds:eu-west-1:111122223333:db:case-db',
    iamRole: 'arn:aws:iam::111122223333:role/standby-restore',
    alarm: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
    vault: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
    snsTopic: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals',
    routingControl: 'arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/def',
  }[kind];
}

describe('parseAzureId: every fixed segment is checked', () => {
  it.each([
    [
      'resourceGroups misspelt',
      `/subscriptions/${SUB}/resourceGroupz/rg/providers/Microsoft.Network/dnszones/z`,
    ],
    ['providers misspelt', `/subscriptions/${SUB}/resourceGroups/rg/provider/Microsoft.Network/dnszones/z`],
    [
      'subscriptions misspelt',
      `/subscription/${SUB}/resourceGroups/rg/providers/Microsoft.Network/dnszones/z`,
    ],
    [
      'a GUID with text before it',
      `/subscriptions/x${SUB}/resourceGroups/rg/providers/Microsoft.Network/dnszones/z`,
    ],
    [
      'a GUID with text after it',
      `/subscriptions/${SUB}x/resourceGroups/rg/providers/Microsoft.Network/dnszones/z`,
    ],
    [
      'an empty name at the end',
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/dnszones/`,
    ],
  ])('rejects an id with %s', (_case, text) => {
    expect(parseAzureId(text)).toBeUndefined();
  });

  it('reads a mixed-case GUID and segment names as written', () => {
    const text = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/RG/PROVIDERS/Microsoft.Network/dnszones/z`;
    expect(parseAzureId(text)).toEqual({
      subscriptionId: SUB.toUpperCase(),
      resourceGroup: 'RG',
      provider: 'Microsoft.Network',
      segments: [['dnszones', 'z']],
    });
  });
});

describe('azureIdProblem: provider and every type of the chain', () => {
  const base = `/subscriptions/${SUB}/resourceGroups/rg/providers`;
  it.each([
    [
      'backupInstance',
      'another provider with the right types',
      `${base}/Microsoft.Compute/backupVaults/v/backupInstances/i`,
    ],
    [
      'protectedItem',
      'a wrong last type',
      `${base}/Microsoft.RecoveryServices/vaults/v/backupFabrics/Azure/protectionContainers/c/replicatedItems/x`,
    ],
    [
      'protectedItem',
      'a wrong first type',
      `${base}/Microsoft.RecoveryServices/backupVaults/v/backupFabrics/Azure/protectionContainers/c/protectedItems/x`,
    ],
  ] as const)('rejects a %s id with %s', (kind, _case, text) => {
    expect(azureIdProblem(text, kind)?.startsWith(`"${text}" is not a Microsoft.`)).toBe(true);
  });
});

describe('parseAzureId: the id starts at the root and ends with its last pair', () => {
  it('rejects an id with text before the first slash', () => {
    expect(
      parseAzureId(`x/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/dnszones/z`),
    ).toBeUndefined();
  });

  it('rejects an id of the right kind with another type/name pair after it', () => {
    const text = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/i/extra/x`;
    expect(
      azureIdProblem(text, 'backupInstance')?.startsWith(`"${text}" is not a Microsoft.DataProtection`),
    ).toBe(true);
  });
});
