import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import { planFilesOf } from '../../cdk/stacks/standby-stack.ts';
import { forwardingAccounts, restoreRolesIn, topologyOf } from '../../cdk/topology.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (...paths: string[]) =>
  readPlans(planFilesOf(paths).map((file) => ({ file, text: readFileSync(file, 'utf8') }))).map(
    (l) => l.plan,
  );
const examples = read(resolve(root, 'examples/plans'));
const crossAccount = read(resolve(root, 'test/fixtures/cdk/cross-account.yaml'));

describe('topologyOf', () => {
  it('forwards from every account and region where the examples’ alarms live or their backups run, never from the controller’s own', () => {
    const t = topologyOf(examples, '111122223333', 'eu-central-1');
    expect(t.plans.map((p) => p.name)).toEqual(['case-management', 'payments']);
    expect(t.forwarders).toEqual([
      {
        account: '111122223333',
        region: 'eu-west-1',
        alarmArns: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health'],
        backupEvents: true,
      },
      { account: '444455556666', region: 'eu-central-1', alarmArns: [], backupEvents: true },
      {
        account: '444455556666',
        region: 'eu-west-1',
        alarmArns: [
          'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-api-5xx',
          'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:payments-health-composite',
        ],
        backupEvents: true,
      },
    ]);
    expect(forwardingAccounts(t)).toEqual(['444455556666']);
  });

  it('forwards a Route 53 health-check alarm from us-east-1, and backups of a bucket from the plan’s primary region', () => {
    const t = topologyOf(crossAccount, '111122223333', 'eu-central-1');
    expect(t.forwarders).toEqual([
      { account: '777788889999', region: 'eu-central-1', alarmArns: [], backupEvents: true },
      { account: '777788889999', region: 'eu-west-1', alarmArns: [], backupEvents: true },
      {
        account: '777788889999',
        region: 'us-east-1',
        alarmArns: ['arn:aws:cloudwatch:us-east-1:777788889999:alarm:ledger-health-check'],
        backupEvents: false,
      },
    ]);
  });

  it('gives each member account its role and only what the plans have there', () => {
    const [member, ...others] = topologyOf(crossAccount, '111122223333', 'eu-central-1').members;
    expect(others).toEqual([]);
    expect(member).toMatchObject({
      account: '777788889999',
      roleArn: 'arn:aws:iam::777788889999:role/standby-controller',
      permissions: {
        vaultArns: ['arn:aws:backup:eu-central-1:777788889999:backup-vault:ledger-dr'],
        restoreRoleArns: ['arn:aws:iam::777788889999:role/dr/ledger-restore'],
        hostedZoneIds: ['Z0LEDGER0000000000000'],
      },
    });
    expect(restoreRolesIn(member!)).toEqual(['arn:aws:iam::777788889999:role/dr/ledger-restore']);
    const payments = topologyOf(examples, '111122223333', 'eu-central-1').members;
    // The examples' hosted zone has no account: it is the controller's, so the member role gets none.
    expect(payments).toEqual([
      expect.objectContaining({
        account: '444455556666',
        permissions: expect.objectContaining({ hostedZoneIds: [] }),
      }),
    ]);
  });

  it('leaves out the plans that recover elsewhere', () => {
    expect(topologyOf(examples, '111122223333', 'eu-west-1')).toMatchObject({
      plans: [],
      forwarders: [],
      members: [],
    });
  });

  it.each([
    [
      'an account without a role',
      () => topologyOf(examples, '444455556666', 'eu-central-1'),
      /plan case-management names account 111122223333 \(vault of case-db, restore role of case-db,.*\) but no role there; add spec\.accounts: \[\{ roleArn: arn:aws:iam::111122223333:role\/<role> \}\] \(the controller runs in account 444455556666\)/,
    ],
    [
      'two roles for one account',
      () =>
        topologyOf(
          [
            ...crossAccount,
            {
              ...crossAccount[0]!,
              name: 'ledger-2',
              accounts: [{ account: '777788889999', roleArn: 'arn:aws:iam::777788889999:role/other' }],
            },
          ],
          '111122223333',
          'eu-central-1',
        ),
      /plans ledger and ledger-2 name different roles for account 777788889999/,
    ],
  ])('refuses %s, naming the plan', (_case, synth, message) => {
    expect(synth).toThrow(InvalidInputError);
    expect(synth).toThrow(message);
  });
});
