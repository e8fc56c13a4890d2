/**
 * The CloudWatch alarm decoders at their edges: every region display name an SNS alarm message may
 * carry (as CloudWatch writes them), and the alarm ARN built when the message has none.
 */
import { describe, expect, it } from 'vitest';
import { normalizeEvent, regionFromName } from '#shared/domain/events.ts';

describe('regionFromName', () => {
  it.each([
    ['US East (N. Virginia)', 'us-east-1'],
    ['US East (Ohio)', 'us-east-2'],
    ['US West (N. California)', 'us-west-1'],
    ['US West (Oregon)', 'us-west-2'],
    ['Africa (Cape Town)', 'af-south-1'],
    ['Asia Pacific (Hong Kong)', 'ap-east-1'],
    ['Asia Pacific (Taipei)', 'ap-east-2'],
    ['Asia Pacific (Mumbai)', 'ap-south-1'],
    ['Asia Pacific (Hyderabad)', 'ap-south-2'],
    ['Asia Pacific (Tokyo)', 'ap-northeast-1'],
    ['Asia Pacific (Seoul)', 'ap-northeast-2'],
    ['Asia Pacific (Osaka)', 'ap-northeast-3'],
    ['Asia Pacific (Singapore)', 'ap-southeast-1'],
    ['Asia Pacific (Sydney)', 'ap-southeast-2'],
    ['Asia Pacific (Jakarta)', 'ap-southeast-3'],
    ['Asia Pacific (Melbourne)', 'ap-southeast-4'],
    ['Asia Pacific (Malaysia)', 'ap-southeast-5'],
    ['Asia Pacific (Thailand)', 'ap-southeast-7'],
    ['Canada (Central)', 'ca-central-1'],
    ['Canada West (Calgary)', 'ca-west-1'],
    ['EU (Frankfurt)', 'eu-central-1'],
    ['EU (Zurich)', 'eu-central-2'],
    ['EU (Ireland)', 'eu-west-1'],
    ['EU (London)', 'eu-west-2'],
    ['EU (Paris)', 'eu-west-3'],
    ['EU (Milan)', 'eu-south-1'],
    ['EU (Spain)', 'eu-south-2'],
    ['EU (Stockholm)', 'eu-north-1'],
    ['Europe (Stockholm)', 'eu-north-1'],
    ['Israel (Tel Aviv)', 'il-central-1'],
    ['Mexico (Central)', 'mx-central-1'],
    ['Middle East (Bahrain)', 'me-south-1'],
    ['Middle East (UAE)', 'me-central-1'],
    ['South America (Sao Paulo)', 'sa-east-1'],
    ['South America (São Paulo)', 'sa-east-1'],
    ['AWS GovCloud (US-East)', 'us-gov-east-1'],
    ['AWS GovCloud (US-West)', 'us-gov-west-1'],
    ['China (Beijing)', 'cn-north-1'],
    ['China (Ningxia)', 'cn-northwest-1'],
    ['  EU (Paris) ', 'eu-west-3'],
    [' eu-west-3\n', 'eu-west-3'],
  ])('maps %j to %s', (name, code) => {
    expect(regionFromName(name)).toBe(code);
  });

  it.each([
    'XEurope (Ireland)',
    'Europe (Atlantis)',
    'toString',
    '__proto__',
    'constructor',
    'eu-west-3 (Paris)',
  ])('knows no region called %j', (name) => {
    expect(regionFromName(name)).toBeUndefined();
  });
});

describe('SNS alarm message with a Region the table does not hold', () => {
  it('takes a Region named like an Object property for no region at all', () => {
    const result = normalizeEvent({
      AlarmName: 'case-api-health',
      AlarmArn: 'arn:aws:cloudwatch:REGION:111122223333:alarm:case-api-health',
      NewStateValue: 'ALARM',
      StateChangeTime: '2026-11-21T09:58:15.490+0000',
      Region: 'constructor',
    });
    expect(result).toMatchObject({ accepted: true, kind: 'alarm' });
    expect(result).not.toHaveProperty('region');
  });
});
