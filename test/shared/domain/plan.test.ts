import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import { findCycle, type ProtectedResource, restoreWaves } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import {
  awsPlanDoc,
  awsResource,
  azurePlanDoc,
  azureResource,
  ids,
  loadPlan,
  type PlanDoc,
  planYaml,
  withPlan,
} from '../../support/plans.ts';

/** The SPEC §2 example, with real-looking ids in place of its `<sub>` placeholders. */
const SPEC_EXAMPLE = `
apiVersion: standby/v1
kind: RecoveryPlan
metadata:
  name: case-management
  owner: platform-team
spec:
  objectives:
    rpo: 15m
    rto: 60m
  warnAt: 0.8
  primary:  { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  triggers:
    - awsAlarm: arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health
    - azureAlertRule: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-case/providers/microsoft.insights/metricAlerts/case-api-availability
  failover:
    mode: approval
    approval:
      notify:
        - sns: arn:aws:sns:eu-central-1:111122223333:dr-approvals
        - teams: { webhookUrl: env:TEAMS_WEBHOOK_URL }
      timeout: 30m
      onTimeout: abort
    cooldown: 1h
    requireFreshBackups: true
  resources:
    - name: case-db
      rpo: 5m
      dependsOn: []
      awsBackup:
        resourceArn: arn:aws:rds:eu-west-1:111122223333:db:case-db
        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault
        restore:
          iamRoleArn: arn:aws:iam::111122223333:role/standby-restore
          metadata: { DBInstanceIdentifier: case-db-dr }
    - name: evidence-files
      dependsOn: [case-db]
      azureBackup:
        backupInstanceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault/backupInstances/evidence-files
        restore: { request: { objectType: AzureBackupRecoveryPointBasedRestoreRequest } }
  validate:
    - http: { url: https://case-api.dr.example.com/internal/health, expectStatus: 200, timeout: 5s, attempts: 5 }
  routing:
    route53:
      hostedZoneId: Z0123456789ABC
      recordName: case.example.com.
      recordType: CNAME
      strategy: weighted
      primarySetIdentifier: primary
      recoverySetIdentifier: recovery
`;

/** Every problem the real loader reports for one document, as `{ path, message }`. */
function problemsOf(doc: PlanDoc): { path: string; message: string }[] {
  try {
    readPlans([{ file: 'plan.yaml', text: planYaml(doc) }]);
  } catch (error) {
    if (error instanceof InvalidPlanError)
      return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  throw new Error('expected the plan to be rejected, but it was accepted');
}

// biome-ignore lint/suspicious/noExplicitAny: tests reach into untyped documents on purpose.
type Spec = any;
const change = (f: (spec: Spec) => void, base: PlanDoc = awsPlanDoc()) => withPlan(base, (d) => f(d.spec));

describe('buildPlan (through readPlans)', () => {
  it('turns the SPEC example into a checked RecoveryPlan', () => {
    const [loaded] = readPlans([{ file: 'spec.yaml', text: SPEC_EXAMPLE }]);
    expect(loaded?.plan).toEqual({
      name: 'case-management',
      owner: 'platform-team',
      rpoSeconds: 900,
      rtoSeconds: 3600,
      warnAt: 0.8,
      primary: { cloud: 'aws', region: 'eu-west-1' },
      recovery: { cloud: 'aws', region: 'eu-central-1' },
      triggers: [{ awsAlarm: ids.alarm }, { azureAlertRule: ids.alertRule }],
      failover: {
        mode: 'approval',
        approval: {
          notify: [{ sns: ids.topic }, { teams: { webhookUrl: 'env:TEAMS_WEBHOOK_URL' } }],
          timeoutSeconds: 1800,
          onTimeout: 'abort',
        },
        cooldownSeconds: 3600,
        requireFreshBackups: true,
      },
      resources: [
        {
          app: 'case-management',
          name: 'case-db',
          rpoSeconds: 300,
          dependsOn: [],
          recoveryRegion: 'eu-central-1',
          source: {
            kind: 'aws-backup',
            resourceArn: ids.dbArn,
            vaultArn: ids.vault,
            restore: { iamRoleArn: ids.role, metadata: { DBInstanceIdentifier: 'case-db-dr' } },
          },
        },
        {
          app: 'case-management',
          name: 'evidence-files',
          rpoSeconds: 900,
          dependsOn: ['case-db'],
          recoveryRegion: 'eu-central-1',
          source: {
            kind: 'azure-backup',
            backupInstanceId: ids.backupInstance.replace(/case-files$/, 'evidence-files'),
            restore: { request: { objectType: 'AzureBackupRecoveryPointBasedRestoreRequest' } },
          },
        },
      ],
      validate: [
        {
          url: 'https://case-api.dr.example.com/internal/health',
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 5,
        },
      ],
      routing: {
        kind: 'route53',
        hostedZoneId: 'Z0123456789ABC',
        recordName: 'case.example.com.',
        recordType: 'CNAME',
        strategy: 'weighted',
        primarySetIdentifier: 'primary',
        recoverySetIdentifier: 'recovery',
      },
    });
  });

  it('fills the defaults: warnAt 0.8, requireFreshBackups, dependsOn, onTimeout, probe settings', () => {
    const aws = loadPlan(awsPlanDoc());
    expect(aws.warnAt).toBe(0.8);
    expect(aws.failover).toEqual({ mode: 'automatic', requireFreshBackups: true });
    expect(aws.resources[0]?.dependsOn).toEqual([]);
    expect(aws.validate).toEqual([
      {
        url: 'https://case-api.dr.example.com/internal/health',
        expectStatus: 200,
        timeoutSeconds: 5,
        attempts: 3,
      },
    ]);
    const azure = loadPlan(azurePlanDoc());
    expect(azure.failover.approval?.onTimeout).toBe('abort');
    expect(azure.validate).toEqual([]);
    expect(azure.routing).toEqual({
      kind: 'azureTrafficManager',
      profileId: ids.trafficManager,
      primaryEndpoint: 'primary',
      recoveryEndpoint: 'recovery',
    });
  });

  it('gives each resource its own rpo, or the plan rpo when it has none', () => {
    const plan = loadPlan(awsPlanDoc());
    expect(plan.resources.map((r) => [r.name, r.rpoSeconds])).toEqual([
      ['case-db', 300],
      ['case-api', 900],
    ]);
  });

  it('accepts a manual plan without triggers and a plan without routing or restore', () => {
    const plan = loadPlan(
      change((s) => {
        s.failover = { mode: 'manual' };
        s.triggers = [];
        delete s.routing;
        delete s.resources[0].awsBackup.restore;
      }),
    );
    expect(plan.triggers).toEqual([]);
    expect(plan.routing).toBeUndefined();
    expect(plan.resources[0]?.source).toEqual({
      kind: 'aws-backup',
      resourceArn: ids.dbArn,
      vaultArn: ids.vault,
    });
  });

  it('accepts a Recovery Services item and keeps the source kind', () => {
    const plan = loadPlan(
      change((s) => {
        s.resources = [{ name: 'vm', azureRecoveryServices: { protectedItemId: ids.protectedItem } }];
      }, azurePlanDoc()),
    );
    expect(plan.resources[0]?.source).toEqual({
      kind: 'azure-recovery-services',
      protectedItemId: ids.protectedItem,
    });
  });

  describe('cross-field rules', () => {
    it.each<{ rule: string; doc: PlanDoc; path: string; message: string }>([
      {
        rule: 'a dependsOn cycle of two resources',
        doc: change((s) => {
          s.resources[0].dependsOn = ['case-api'];
        }),
        path: 'spec.resources[0].dependsOn',
        message: 'dependsOn forms a cycle: case-db → case-api → case-db',
      },
      {
        rule: 'a dependsOn cycle of three resources',
        doc: change((s) => {
          s.resources = [
            awsResource('a', { dependsOn: ['c'] }),
            awsResource('b', { dependsOn: ['a'] }),
            awsResource('c', { dependsOn: ['b'] }),
          ];
        }),
        path: 'spec.resources[0].dependsOn',
        message: 'dependsOn forms a cycle: a → c → b → a',
      },
      {
        rule: 'an approval timeout over 24h',
        doc: change((s) => {
          s.failover = {
            mode: 'approval',
            approval: { notify: [{ sns: 'arn:aws:sns:eu-central-1:111122223333:dr' }], timeout: '25h' },
          };
        }),
        path: 'spec.failover.approval.timeout',
        message:
          'approval timeout is 25h; at most 24h is allowed (an approval token lives as long, and a failover should not wait longer for a human)',
      },
      {
        rule: 'a resource that depends on itself',
        doc: change((s) => {
          s.resources[1].dependsOn = ['case-api'];
        }),
        path: 'spec.resources[1].dependsOn[0]',
        message: 'resource "case-api" depends on itself',
      },
      {
        rule: 'a dependency on a resource the plan does not have',
        doc: change((s) => {
          s.resources[1].dependsOn = ['case-db', 'case-cache'];
        }),
        path: 'spec.resources[1].dependsOn[1]',
        message: 'unknown dependency "case-cache"; expected one of: case-db, case-api',
      },
      {
        rule: 'two resources with one name',
        doc: change((s) => {
          s.resources[1].name = 'case-db';
          s.resources[1].dependsOn = [];
        }),
        path: 'spec.resources[1].name',
        message: 'resource name "case-db" is used twice',
      },
      {
        rule: 'a resource without a backup source',
        doc: change((s) => {
          s.resources.push({ name: 'orphan' });
        }),
        path: 'spec.resources[2]',
        message: 'resource "orphan" has no backup source; give exactly one of awsBackup, azureBackup',
      },
      {
        rule: 'a resource with two backup sources',
        doc: change((s) => {
          s.resources[0].azureBackup = azureResource('x').azureBackup;
        }),
        path: 'spec.resources[0]',
        message: 'resource "case-db" has awsBackup and azureBackup; give exactly one',
      },
      {
        rule: 'mode approval without an approval block',
        doc: change((s) => {
          s.failover = { mode: 'approval' };
        }),
        path: 'spec.failover',
        message: 'mode is approval, so failover.approval (notify, timeout, onTimeout) is required',
      },
      {
        rule: 'an approval block with mode automatic',
        doc: change((s) => {
          s.failover.approval = { notify: [{ sns: ids.topic }], timeout: '30m' };
        }),
        path: 'spec.failover.approval',
        message: 'failover.approval is only allowed when mode is approval (mode is automatic)',
      },
      {
        rule: 'no trigger with mode automatic',
        doc: change((s) => {
          s.triggers = [];
        }),
        path: 'spec.triggers',
        message: 'mode is automatic, so at least one trigger (awsAlarm or azureAlertRule) is required',
      },
      {
        rule: 'no trigger (field left out) with mode approval',
        doc: change((s) => {
          delete s.triggers;
        }, azurePlanDoc()),
        path: 'spec.triggers',
        message: 'mode is approval, so at least one trigger',
      },
      {
        rule: 'an AWS Backup vault outside the recovery region',
        doc: change((s) => {
          s.resources[0].awsBackup.vaultArn = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:dr-vault';
        }),
        path: 'spec.resources[0].awsBackup.vaultArn',
        message: 'vault is in eu-west-1 but the recovery region is eu-central-1',
      },
      {
        rule: 'routing with no block',
        doc: change((s) => {
          s.routing = {};
        }),
        path: 'spec.routing',
        message: 'routing needs exactly one of route53, azureTrafficManager, azureDns (found none)',
      },
      {
        rule: 'routing with two blocks',
        doc: change((s) => {
          s.routing.azureTrafficManager = {
            profileId: ids.trafficManager,
            primaryEndpoint: 'p',
            recoveryEndpoint: 'r',
          };
        }),
        path: 'spec.routing',
        message: '(found route53, azureTrafficManager)',
      },
      {
        rule: 'weighted Route 53 routing without set identifiers',
        doc: change((s) => {
          delete s.routing.route53.recoverySetIdentifier;
        }),
        path: 'spec.routing.route53',
        message: 'strategy weighted needs primarySetIdentifier and recoverySetIdentifier',
      },
      {
        rule: 'failover Route 53 routing without set identifiers',
        doc: change((s) => {
          s.routing.route53.strategy = 'failover';
          delete s.routing.route53.primarySetIdentifier;
        }),
        path: 'spec.routing.route53',
        message: 'strategy failover needs primarySetIdentifier and recoverySetIdentifier',
      },
      {
        rule: 'arc strategy without an arc block',
        doc: change((s) => {
          s.routing.route53.strategy = 'arc';
        }),
        path: 'spec.routing.route53',
        message: 'strategy arc needs an arc block (routingControlArns, clusterEndpoints)',
      },
    ])('rejects $rule', ({ doc, path, message }) => {
      const problems = problemsOf(doc);
      expect(problems).toContainEqual({ path, message: expect.stringContaining(message) });
    });

    it('reports every broken rule of a document, not only the first', () => {
      const problems = problemsOf(
        change((s) => {
          s.triggers = [];
          s.resources[1].dependsOn = ['nope'];
          s.routing = {};
        }),
      );
      expect(problems.map((p) => p.path)).toEqual([
        'spec.resources[1].dependsOn[0]',
        'spec.triggers',
        'spec.routing',
      ]);
    });
  });

  describe('schema rules', () => {
    it.each<{ rule: string; doc: PlanDoc; path: string; message: string }>([
      {
        rule: 'a missing rpo',
        doc: change((s) => {
          delete s.objectives.rpo;
        }),
        path: 'spec.objectives.rpo',
        message: 'is required: a duration, a positive whole number followed by s, m, h or d',
      },
      {
        rule: 'rpo: fifteen',
        doc: change((s) => {
          s.objectives.rpo = 'fifteen';
        }),
        path: 'spec.objectives.rpo',
        message: '"fifteen" is not a duration; expected a positive whole number followed by s, m, h or d',
      },
      {
        rule: 'an alarm ARN of another service',
        doc: change((s) => {
          s.triggers[0].awsAlarm = 'arn:aws:sns:eu-west-1:111122223333:alarm:case-api-health';
        }),
        path: 'spec.triggers[0].awsAlarm',
        message: 'is an ARN of service "sns"; expected a cloudwatch ARN',
      },
      {
        rule: 'an ARN with an 11-digit account',
        doc: change((s) => {
          s.triggers[0].awsAlarm = 'arn:aws:cloudwatch:eu-west-1:11112222333:alarm:case-api-health';
        }),
        path: 'spec.triggers[0].awsAlarm',
        message: 'has no 12-digit account id',
      },
      {
        rule: 'a CloudWatch ARN that is not an alarm',
        doc: change((s) => {
          s.triggers[0].awsAlarm = 'arn:aws:cloudwatch:eu-west-1:111122223333:dashboard/case';
        }),
        path: 'spec.triggers[0].awsAlarm',
        message: 'does not name a valid resource; expected e.g. arn:aws:cloudwatch:',
      },
      {
        rule: 'text that is not an ARN at all',
        doc: change((s) => {
          s.resources[0].awsBackup.resourceArn = 'case-db';
        }),
        path: 'spec.resources[0].awsBackup.resourceArn',
        message: '"case-db" is not an ARN; expected arn:<partition>:<service>:<region>:<account>:<resource>',
      },
      {
        rule: 'an Azure id whose subscription is not a GUID',
        doc: change((s) => {
          s.triggers[0].azureAlertRule = ids.alertRule.replace(ids.subscription, 'my-subscription');
        }, azurePlanDoc()),
        path: 'spec.triggers[0].azureAlertRule',
        message: 'is not an Azure resource id; expected /subscriptions/<guid>/',
      },
      {
        rule: 'an Azure id of the wrong provider',
        doc: change((s) => {
          s.resources[0].azureBackup.backupInstanceId = ids.backupInstance.replace(
            'Microsoft.DataProtection',
            'Microsoft.RecoveryServices',
          );
        }, azurePlanDoc()),
        path: 'spec.resources[0].azureBackup.backupInstanceId',
        message: 'is not a Microsoft.DataProtection backupVaults/backupInstances id',
      },
      {
        rule: 'an unknown field',
        doc: change((s) => {
          s.objectives.rpoo = '5m';
        }),
        path: 'spec.objectives.rpoo',
        message: 'unknown field "rpoo"',
      },
      {
        rule: 'a trigger of no known form',
        doc: change((s) => {
          s.triggers = [{ gcpAlert: 'x' }];
        }),
        path: 'spec.triggers[0]',
        message: 'does not match any allowed form (expected one of: awsAlarm, azureAlertRule)',
      },
      {
        rule: 'warnAt above 1',
        doc: change((s) => {
          s.warnAt = 1.5;
        }),
        path: 'spec.warnAt',
        message: 'is 1.5; it must be at most 1',
      },
      {
        rule: 'warnAt of 0',
        doc: change((s) => {
          s.warnAt = 0;
        }),
        path: 'spec.warnAt',
        message: 'is 0; it must be more than 0',
      },
      {
        rule: 'a literal Teams webhook URL',
        doc: change((s) => {
          s.failover.approval.notify = [
            { teams: { webhookUrl: 'https://contoso.webhook.office.com/webhookb2/secret-token' } },
          ];
        }, azurePlanDoc()),
        path: 'spec.failover.approval.notify[0].teams.webhookUrl',
        message: 'is not a secret reference; write env:NAME',
      },
      {
        rule: 'an Azure location as an AWS region',
        doc: change((s) => {
          s.recovery.region = 'westeurope';
        }),
        path: 'spec.recovery.region',
        message: '"westeurope" is not an AWS region; expected e.g. eu-central-1',
      },
      {
        rule: 'a region with capitals',
        doc: change((s) => {
          s.primary.region = 'EU-West-1';
        }),
        path: 'spec.primary.region',
        message: 'expected a region name such as eu-central-1 or westeurope',
      },
      {
        rule: 'an application name with capitals',
        doc: withPlan(awsPlanDoc(), (d) => {
          d.metadata.name = 'Case_Management';
        }),
        path: 'metadata.name',
        message: 'expected an application id of lower-case letters, digits and dashes',
      },
      {
        rule: 'a plan without resources',
        doc: change((s) => {
          s.resources = [];
        }),
        path: 'spec.resources',
        message: 'a plan protects at least one resource',
      },
      {
        rule: 'drill.keepFor without keep',
        doc: change((s) => {
          s.drill = { keepFor: '2h' };
        }),
        path: 'spec.drill.keepFor',
        message: 'keepFor applies only with keep: true',
      },
      {
        rule: 'drill.keepFor: soon',
        doc: change((s) => {
          s.drill = { keep: true, keepFor: 'soon' };
        }),
        path: 'spec.drill.keepFor',
        message: '"soon" is not a duration',
      },
    ])('rejects $rule', ({ doc, path, message }) => {
      expect(problemsOf(doc)).toContainEqual({ path, message: expect.stringContaining(message) });
    });

    it.each([
      [
        { keep: true, keepFor: '3d' },
        { keep: true, keepForSeconds: 259_200 },
      ],
      [{ keep: true }, { keep: true }],
      [{ schedule: 'rate(7 days)' }, { schedule: 'rate(7 days)', keep: false }],
    ])('reads drill %j as %j', (drill, expected) => {
      const plan = loadPlan(
        change((s) => {
          s.drill = drill;
        }),
      );
      expect(plan.drill).toEqual(expected);
    });

    it('never echoes a literal secret back in the error', () => {
      const secret = 'https://contoso.webhook.office.com/webhookb2/0123456789abcdef-secret-token';
      const problems = problemsOf(
        change((s) => {
          s.failover.approval.notify = [{ teams: { webhookUrl: secret } }];
        }, azurePlanDoc()),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0]?.message).not.toContain('secret-token');
    });
  });
});

describe('findCycle', () => {
  const r = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });
  it.each([
    { case: 'no dependencies', resources: [r('a'), r('b')], cycle: undefined },
    { case: 'a chain', resources: [r('a'), r('b', 'a'), r('c', 'b')], cycle: undefined },
    { case: 'a diamond', resources: [r('a'), r('b', 'a'), r('c', 'a'), r('d', 'b', 'c')], cycle: undefined },
    { case: 'a dependency on an unknown name', resources: [r('a', 'ghost')], cycle: undefined },
    { case: 'a self-dependency', resources: [r('a', 'a')], cycle: ['a', 'a'] },
    { case: 'two nodes', resources: [r('a', 'b'), r('b', 'a')], cycle: ['a', 'b', 'a'] },
    { case: 'three nodes', resources: [r('a', 'b'), r('b', 'c'), r('c', 'a')], cycle: ['a', 'b', 'c', 'a'] },
    {
      case: 'a cycle that does not include the first resource',
      resources: [r('root'), r('x', 'root', 'y'), r('y', 'x')],
      cycle: ['x', 'y', 'x'],
    },
  ])('finds $cycle in $case', ({ resources, cycle }) => {
    expect(findCycle(resources)).toEqual(cycle);
  });
});

describe('restoreWaves', () => {
  const res = (name: string, ...dependsOn: string[]): ProtectedResource => ({
    app: 'app',
    name,
    rpoSeconds: 300,
    dependsOn,
    source: { kind: 'aws-backup', resourceArn: ids.dbArn, vaultArn: ids.vault },
  });
  const names = (waves: ProtectedResource[][]) => waves.map((w) => w.map((r) => r.name));

  it('restores independent resources together and dependents after their dependencies', () => {
    const waves = restoreWaves([
      res('web', 'api'),
      res('api', 'db', 'cache'),
      res('db'),
      res('worker', 'db'),
      res('cache'),
    ]);
    expect(names(waves)).toEqual([['db', 'cache'], ['api', 'worker'], ['web']]);
  });

  it('keeps the written order within a wave', () => {
    expect(names(restoreWaves([res('c'), res('a'), res('b')]))).toEqual([['c', 'a', 'b']]);
  });

  it('returns no waves for no resources', () => {
    expect(restoreWaves([])).toEqual([]);
  });

  it('follows the dependsOn of a loaded plan', () => {
    expect(names(restoreWaves([...loadPlan().resources]))).toEqual([['case-db'], ['case-api']]);
  });

  it('refuses a cycle instead of looping', () => {
    expect(() => restoreWaves([res('a', 'b'), res('b', 'a')])).toThrow(/dependency cycle/);
  });
});
