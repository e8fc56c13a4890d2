/**
 * `buildPlan` (through the real loader) for each routing kind, and the AWS-only vault-region rule:
 * every kind of `routing` is built into its own `Routing` value, each strategy asks for what it
 * needs and nothing more.
 */
import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import type { Routing } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import {
  awsPlanDoc,
  azurePlanDoc,
  ids,
  loadPlan,
  type PlanDoc,
  planYaml,
  withPlan,
} from '../../support/plans.ts';

const dnsZone = `/subscriptions/${ids.subscription}/resourceGroups/rg-case/providers/Microsoft.Network/dnszones/example.com`;
const arc = {
  routingControlArns: {
    primary:
      'arn:aws:route53-recovery-control::111122223333:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/primary0123456',
    recovery:
      'arn:aws:route53-recovery-control::111122223333:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/recovery012345',
  },
  clusterEndpoints: [{ endpoint: 'https://host-dr.example.com/v1', region: 'eu-west-1' }],
};
const zone = { hostedZoneId: 'Z0123456789ABC', recordName: 'case.example.com.', recordType: 'CNAME' };

/** The problems the loader reports for a document (empty when it loads). */
function problemsOf(doc: PlanDoc): { path: string; message: string }[] {
  try {
    readPlans([{ file: 'plan.yaml', text: planYaml(doc) }]);
    return [];
  } catch (error) {
    if (error instanceof InvalidPlanError)
      return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
}

describe('buildPlan: routing', () => {
  it.each<{ kind: string; doc: PlanDoc; routing: Routing }>([
    {
      kind: 'route53 weighted',
      doc: awsPlanDoc(),
      routing: {
        kind: 'route53',
        ...zone,
        strategy: 'weighted',
        primarySetIdentifier: 'primary',
        recoverySetIdentifier: 'recovery',
      } as Routing,
    },
    {
      kind: 'route53 failover',
      doc: withPlan(awsPlanDoc(), (d) => {
        (d.spec.routing as { route53: Record<string, unknown> }).route53.strategy = 'failover';
      }),
      routing: {
        kind: 'route53',
        ...zone,
        strategy: 'failover',
        primarySetIdentifier: 'primary',
        recoverySetIdentifier: 'recovery',
      } as Routing,
    },
    {
      kind: 'route53 arc, without set identifiers',
      doc: withPlan(awsPlanDoc(), (d) => {
        d.spec.routing = { route53: { ...zone, strategy: 'arc', arc } };
      }),
      routing: { kind: 'route53', ...zone, strategy: 'arc', arc } as Routing,
    },
    {
      kind: 'azureTrafficManager',
      doc: azurePlanDoc(),
      routing: {
        kind: 'azureTrafficManager',
        profileId: ids.trafficManager,
        primaryEndpoint: 'primary',
        recoveryEndpoint: 'recovery',
      },
    },
    {
      kind: 'azureDns',
      doc: withPlan(azurePlanDoc(), (d) => {
        d.spec.routing = {
          azureDns: { zoneId: dnsZone, recordSet: 'case', recoveryTarget: 'case-dr.example.net' },
        };
      }),
      routing: {
        kind: 'azureDns',
        zoneId: dnsZone,
        recordSet: 'case',
        recordType: 'CNAME',
        recoveryTarget: 'case-dr.example.net',
      },
    },
  ])('builds $kind routing as its own kind', ({ doc, routing }) => {
    expect(loadPlan(doc).routing).toEqual(routing);
  });

  it.each([
    ['weighted', 'primarySetIdentifier'],
    ['weighted', 'recoverySetIdentifier'],
    ['failover', 'primarySetIdentifier'],
    ['failover', 'recoverySetIdentifier'],
  ])('requires both set identifiers of strategy %s (%s left out)', (strategy, left) => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      const r = (d.spec.routing as { route53: Record<string, unknown> }).route53;
      r.strategy = strategy;
      delete r[left];
    });
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.routing.route53',
        message: `strategy ${strategy} needs primarySetIdentifier and recoverySetIdentifier`,
      },
    ]);
  });

  it('requires an arc block of strategy arc, and nothing else', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      d.spec.routing = { route53: { ...zone, strategy: 'arc' } };
    });
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.routing.route53',
        message: 'strategy arc needs an arc block (routingControlArns, clusterEndpoints)',
      },
    ]);
  });
});

describe('buildPlan: the vault of an AWS Backup resource', () => {
  const elsewhere = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:dr-vault';

  it('must be in the recovery region when the recovery site is AWS', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      (d.spec.resources as { awsBackup: { vaultArn: string } }[])[1]!.awsBackup.vaultArn = elsewhere;
    });
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.resources[1].awsBackup.vaultArn',
        message:
          'vault is in eu-west-1 but the recovery region is eu-central-1; recovery copies must be in a vault of the recovery region',
      },
    ]);
  });

  it('is not held to the region of an Azure recovery site (the rule is about AWS regions)', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      d.spec.recovery = { cloud: 'azure', region: 'northeurope' };
      delete d.spec.routing;
      (d.spec.resources as { awsBackup: { vaultArn: string } }[])[0]!.awsBackup.vaultArn = elsewhere;
    });
    expect(problemsOf(doc)).toEqual([]);
  });
});
