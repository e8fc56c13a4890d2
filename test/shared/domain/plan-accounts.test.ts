import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import {
  accountOfRouting,
  accountOfSource,
  accountRoles,
  accountsActedIn,
} from '#shared/domain/plan-accounts.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

const MEMBER = '444455556666';
const ROLE = `arn:aws:iam::${MEMBER}:role/standby-controller`;
const memberResource = (name: string) => ({
  name,
  awsBackup: {
    resourceArn: `arn:aws:rds:eu-west-1:${MEMBER}:db:${name}`,
    vaultArn: `arn:aws:backup:eu-central-1:${MEMBER}:backup-vault:dr`,
    restore: { iamRoleArn: `arn:aws:iam::${MEMBER}:role/restore`, metadata: {} },
  },
});
/** The test plan with one more resource in the member account, and the given accounts block. */
const crossAccount = (accounts?: unknown[], zoneAccount?: string) =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      const spec = d.spec as Record<string, unknown> & {
        resources: unknown[];
        routing: { route53: Record<string, unknown> };
      };
      spec.resources.push(memberResource('ledger'));
      if (accounts) spec['accounts'] = accounts;
      if (zoneAccount) spec.routing.route53['account'] = zoneAccount;
    }),
  );

describe('accountsActedIn', () => {
  it('names each account with what the plan has there', () => {
    expect(Object.fromEntries(accountsActedIn(crossAccount(undefined, MEMBER)))).toEqual({
      '111122223333': [
        'vault of case-db',
        'restore role of case-db',
        'vault of case-api',
        'restore role of case-api',
      ],
      [MEMBER]: ['vault of ledger', 'restore role of ledger', 'hosted zone Z0123456789ABC'],
    });
  });
});

describe('accountOfSource / accountOfRouting', () => {
  it('is the vault’s account for a resource and the hosted zone’s for routing', () => {
    const plan = crossAccount([{ roleArn: ROLE }], MEMBER);
    expect(plan.resources.map((r) => accountOfSource(r.source))).toEqual([
      '111122223333',
      '111122223333',
      MEMBER,
    ]);
    expect(accountOfRouting(plan.routing)).toBe(MEMBER);
    expect(accountOfRouting(loadPlan().routing)).toBeUndefined();
  });
});

describe('accountRoles', () => {
  it('maps each other account to its role, leaving out the controller’s own', () => {
    expect(accountRoles([crossAccount([{ roleArn: ROLE }])], '111122223333')).toEqual(
      new Map([[MEMBER, ROLE]]),
    );
  });

  it('refuses a plan that acts in another account without a role, naming what is there', () => {
    expect(() => accountRoles([crossAccount()], '111122223333')).toThrow(
      `plan case-management names account ${MEMBER} (vault of ledger, restore role of ledger) but no role there; add spec.accounts: [{ roleArn: arn:aws:iam::${MEMBER}:role/<role> }] (the controller runs in account 111122223333)`,
    );
  });

  it('refuses a hosted zone in another account without a role', () => {
    const plan = loadPlan(
      withPlan(awsPlanDoc(), (d) => {
        (d.spec as { routing: { route53: Record<string, unknown> } }).routing.route53['account'] = MEMBER;
      }),
    );
    expect(() => accountRoles([plan], '111122223333')).toThrow(
      /names account 444455556666 \(hosted zone Z0123456789ABC\)/,
    );
  });
});

describe('spec.accounts in a plan', () => {
  it('takes the account from the role ARN', () => {
    expect(crossAccount([{ roleArn: ROLE }]).accounts).toEqual([{ account: MEMBER, roleArn: ROLE }]);
  });

  it('refuses two roles for one account', () => {
    expect(() => crossAccount([{ roleArn: ROLE }, { roleArn: `arn:aws:iam::${MEMBER}:role/other` }])).toThrow(
      InvalidPlanError,
    );
    expect(() => crossAccount([{ roleArn: ROLE }, { roleArn: `arn:aws:iam::${MEMBER}:role/other` }])).toThrow(
      /spec\.accounts\[1\]\.roleArn.*account 444455556666 already has a role \(arn:aws:iam::444455556666:role\/standby-controller\); name one role per account/,
    );
  });

  it.each([
    [{ roleArn: 'arn:aws:iam::4444:role/x' }, /12-digit account id/],
    [{ roleArn: ROLE, externalId: 'x' }, /unknown field "externalId"/],
  ])('refuses a malformed entry %j', (entry, message) => {
    expect(() => crossAccount([entry])).toThrow(message);
  });

  it('refuses a hosted zone account that is not 12 digits', () => {
    expect(() => crossAccount([{ roleArn: ROLE }], '4444')).toThrow(/expected a 12-digit AWS account id/);
  });
});
