/**
 * The accounts a plan has the controller act in, stated per kind of thing that puts it there, and the
 * role chosen for each over a plan set: explicit expected accounts, one rule per test.
 */
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '#shared/domain/errors.ts';
import {
  accountOfArn,
  accountOfRouting,
  accountOfSource,
  accountRoles,
  accountsActedIn,
} from '#shared/domain/plan-accounts.ts';
import { awsPlanDoc, azurePlanDoc, loadPlan, type PlanDoc, withPlan } from '../../support/plans.ts';

const CONTROLLER = '111122223333';
const MEMBER = '444455556666';
const NETWORK = '777788889999';
const role = (account: string, name = 'standby-controller') => `arn:aws:iam::${account}:role/${name}`;
const control = (account: string, name: string) =>
  `arn:aws:route53-recovery-control::${account}:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/${name}`;
const arcRouting = (primaryAccount: string, recoveryAccount: string) => ({
  route53: {
    hostedZoneId: 'Z0123456789ABC',
    recordName: 'case.example.com.',
    recordType: 'CNAME',
    strategy: 'arc',
    arc: {
      routingControlArns: {
        primary: control(primaryAccount, 'primary0123456'),
        recovery: control(recoveryAccount, 'recovery012345'),
      },
      clusterEndpoints: [{ endpoint: 'https://host-dr.example.com/v1', region: 'eu-west-1' }],
    },
  },
});
/** An AWS resource whose vault and restore role are in `account`; no restore block when `restore` is false. */
const resourceIn = (name: string, account: string, restore = true) => ({
  name,
  awsBackup: {
    resourceArn: `arn:aws:rds:eu-west-1:${account}:db:${name}`,
    vaultArn: `arn:aws:backup:eu-central-1:${account}:backup-vault:dr`,
    ...(restore ? { restore: { iamRoleArn: role(account, 'restore'), metadata: {} } } : {}),
  },
});
/** The AWS test plan `name` with `resources` and `change` applied to its spec. */
const awsPlan = (
  name: string,
  resources: unknown[],
  change: (spec: Record<string, unknown>) => void = () => {},
) =>
  loadPlan(
    withPlan(awsPlanDoc(name), (d: PlanDoc) => {
      d.spec.resources = resources;
      change(d.spec);
    }),
  );

describe('accountOfArn', () => {
  it.each([
    [role(MEMBER), MEMBER],
    ['arn:aws:backup:eu-central-1:444455556666:backup-vault:dr', MEMBER],
    ['arn:aws:s3:::case-bucket', undefined],
    ['not an ARN', undefined],
    ['', undefined],
  ])('reads the account of %j as %j', (arn, account) => {
    expect(accountOfArn(arn)).toBe(account);
  });
});

describe('accountOfSource', () => {
  it('is undefined for an Azure source (no AWS account acts on it)', () => {
    expect(loadPlan(azurePlanDoc()).resources.map((r) => accountOfSource(r.source))).toEqual([undefined]);
  });
});

describe('accountOfRouting', () => {
  it('is the account of the recovery routing control for ARC, whatever the hosted zone says', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', CONTROLLER)], (spec) => {
      const routing = arcRouting(NETWORK, MEMBER);
      spec['routing'] = { route53: { ...routing.route53, account: NETWORK } };
    });
    expect(accountOfRouting(plan.routing)).toBe(MEMBER);
  });

  it('is undefined without routing and for Azure routing', () => {
    expect(accountOfRouting(undefined)).toBeUndefined();
    expect(accountOfRouting(loadPlan(azurePlanDoc()).routing)).toBeUndefined();
  });
});

describe('accountsActedIn', () => {
  it('names nothing for an Azure plan', () => {
    expect(accountsActedIn(loadPlan(azurePlanDoc()))).toEqual(new Map());
  });

  it('names only the vault of a resource that has no restore block, and no hosted zone without routing', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', MEMBER, false)], (spec) => {
      delete spec['routing'];
    });
    expect(plan.routing).toBeUndefined();
    expect(accountsActedIn(plan)).toEqual(new Map([[MEMBER, ['vault of case-db']]]));
  });

  it('names the account of each ARC routing control', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', CONTROLLER)], (spec) => {
      spec['routing'] = arcRouting(NETWORK, MEMBER);
    });
    expect(Object.fromEntries(accountsActedIn(plan))).toEqual({
      [CONTROLLER]: ['vault of case-db', 'restore role of case-db'],
      [NETWORK]: ['routing control'],
      [MEMBER]: ['routing control'],
    });
  });
});

describe('accountRoles', () => {
  it('needs no role for a plan acting only in the controller account', () => {
    expect(
      accountRoles([awsPlan('case-management', [resourceIn('case-db', CONTROLLER)])], CONTROLLER),
    ).toEqual(new Map());
  });

  it('maps every other account a plan acts in to the role it names there', () => {
    const plan = awsPlan(
      'case-management',
      [resourceIn('case-db', MEMBER), resourceIn('case-api', NETWORK)],
      (spec) => {
        spec['accounts'] = [{ roleArn: role(MEMBER) }, { roleArn: role(NETWORK) }];
      },
    );
    expect(accountRoles([plan], CONTROLLER)).toEqual(
      new Map([
        [MEMBER, role(MEMBER)],
        [NETWORK, role(NETWORK)],
      ]),
    );
  });

  it('assumes no role in the controller account, even when a plan names one there', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', MEMBER)], (spec) => {
      spec['accounts'] = [{ roleArn: role(MEMBER) }, { roleArn: role(CONTROLLER) }];
    });
    expect(accountRoles([plan], CONTROLLER)).toEqual(new Map([[MEMBER, role(MEMBER)]]));
  });

  it('takes one role named by two plans for the same account', () => {
    const plans = ['payments', 'ledger'].map((name) =>
      awsPlan(name, [resourceIn('db', MEMBER)], (spec) => {
        spec['accounts'] = [{ roleArn: role(MEMBER) }];
      }),
    );
    expect(accountRoles(plans, CONTROLLER)).toEqual(new Map([[MEMBER, role(MEMBER)]]));
  });

  it('refuses two plans naming different roles for one account, naming both', () => {
    const plans = [
      ['payments', role(MEMBER)],
      ['ledger', role(MEMBER, 'other')],
    ].map(([name, roleArn]) =>
      awsPlan(name!, [resourceIn('db', MEMBER)], (spec) => {
        spec['accounts'] = [{ roleArn }];
      }),
    );
    expect(() => accountRoles(plans, CONTROLLER)).toThrow(InvalidInputError);
    expect(() => accountRoles(plans, CONTROLLER)).toThrow(
      `plans payments and ledger name different roles for account ${MEMBER} (${role(MEMBER)}, ${role(MEMBER, 'other')}); the controller assumes one role per account`,
    );
  });

  it('refuses a plan whose roles are for other accounts than the one it acts in', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', MEMBER)], (spec) => {
      spec['accounts'] = [{ roleArn: role(NETWORK) }];
    });
    expect(() => accountRoles([plan], CONTROLLER)).toThrow(
      `plan case-management names account ${MEMBER} (vault of case-db, restore role of case-db) but no role there`,
    );
  });

  it('names every problem, one per line', () => {
    const plan = awsPlan('case-management', [resourceIn('case-db', MEMBER), resourceIn('case-api', NETWORK)]);
    let message = '';
    try {
      accountRoles([plan], CONTROLLER);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      `plan case-management names account ${MEMBER} (vault of case-db, restore role of case-db) but no role there; add spec.accounts: [{ roleArn: arn:aws:iam::${MEMBER}:role/<role> }] (the controller runs in account ${CONTROLLER})`,
      `plan case-management names account ${NETWORK} (vault of case-api, restore role of case-api) but no role there; add spec.accounts: [{ roleArn: arn:aws:iam::${NETWORK}:role/<role> }] (the controller runs in account ${CONTROLLER})`,
    ]);
  });
});
