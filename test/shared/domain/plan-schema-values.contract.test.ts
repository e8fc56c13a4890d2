/**
 * The values the plan schema takes and refuses, field by field: enums as the cloud APIs spell them,
 * identifier patterns anchored at both ends, and the bounds of numbers and lists. Each row sets one
 * field of a valid plan and names the problems that gives — none when the value is taken.
 */

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  awsPlanDoc,
  azurePlanDoc,
  ids,
  type PlanDoc,
  problemsInText,
  withPlan,
} from '../../support/plans.ts';

/** Sets `value` at the dotted `path` (list indexes as numbers) of a copy of `doc`. */
function setAt(doc: PlanDoc, path: string, value: unknown): PlanDoc {
  return withPlan(doc, (copy) => {
    const keys = path.split('.');
    let at = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  });
}
const pathsOf = (doc: PlanDoc) => problemsInText(stringify(doc)).map((p) => p.path);

/** [the field, its value, the paths of the problems it gives]. */
type Row = [string, unknown, string[]];
const takes = (field: string, values: unknown[]): Row[] => values.map((v) => [field, v, []]);
const refuses = (field: string, values: unknown[], at = field): Row[] =>
  values.map((v) => [field, v, [at.replace(/\.(\d+)(?=\.|$)/g, '[$1]')]]);

const ARC_CONTROLS = {
  primary:
    'arn:aws:route53-recovery-control::111122223333:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/primary0123456',
  recovery:
    'arn:aws:route53-recovery-control::111122223333:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/recovery012345',
};
const arc = (regions: string[]) => ({
  routingControlArns: ARC_CONTROLS,
  clusterEndpoints: regions.map((region) => ({
    endpoint: `https://host-dr.${region}.example.com/v1`,
    region,
  })),
});
const approval = (onTimeout: string) => ({
  mode: 'approval',
  approval: { notify: [{ sns: ids.topic }], timeout: '30m', onTimeout },
});
const teams = (webhookUrl: string) => ({
  mode: 'approval',
  approval: { notify: [{ teams: { webhookUrl } }], timeout: '30m' },
});
const CLUSTER = 'spec.resources.0.awsBackup.restore';
const cluster = (instanceClass: string, count = 1) => ({
  iamRoleArn: ids.role,
  clusterInstances: { instanceClass, count },
});

describe('plan schema: the values an AWS plan takes', () => {
  it.each<Row>([
    ...takes('spec.routing.route53.recordType', ['A', 'AAAA', 'CNAME']),
    ...refuses('spec.routing.route53.recordType', ['MX', 'cname']),
    ...takes('spec.routing.route53.hostedZoneId', ['Z0123456789ABC', '/hostedzone/Z0123456789ABC']),
    ...refuses('spec.routing.route53.hostedZoneId', ['hostedzone/Z0123456789ABC', 'Z0123456789abc']),
    ...refuses('spec.routing.route53.account', ['4444555566667', 'x444455556666']),
    ...takes('spec.routing.route53.arc', [arc(['eu-west-1', 'us-west-2'])]),
    ...refuses('spec.routing.route53.arc', [arc([])], 'spec.routing.route53.arc.clusterEndpoints'),
    ...takes(
      CLUSTER,
      ['db.r6g.large', 'db.t4g.medium', 'db.x2iedn.24xlarge', 'db.serverless'].map((c) => cluster(c)),
    ),
    ...refuses(
      CLUSTER,
      [
        'db.r6g',
        'db.r6g.large.extra',
        'my-db.r6g.large',
        'db.R6G.large',
        'db.serverless.',
        'db.Serverless',
      ].map((c) => cluster(c)),
      `${CLUSTER}.clusterInstances.instanceClass`,
    ),
    ...takes(
      CLUSTER,
      [1, 2, 16].map((n) => cluster('db.r6g.large', n)),
    ),
    ...refuses(
      CLUSTER,
      [0, 17].map((n) => cluster('db.r6g.large', n)),
      `${CLUSTER}.clusterInstances.count`,
    ),
    ...takes('metadata.name', [`a${'b'.repeat(62)}`]),
    ...refuses('metadata.name', [`a${'b'.repeat(63)}`]),
    ...takes('spec.resources.1.name', ['case-api2']),
    ...refuses('spec.resources.1.name', ['Case-api', 'case_api']),
    ...takes('spec.validate.0.http.url', ['http://case-api.dr.example.com/health']),
    ...refuses(
      'spec.validate.0.http.url',
      ['ftp', 'git+https', 'httpx'].map((s) => `${s}://case-api.dr.example.com/health`),
    ),
    ...takes('spec.validate.0.http.drillUrl', ['http://case-api.drill.example.com/health']),
    ...refuses(
      'spec.validate.0.http.drillUrl',
      ['ftp', 'git+https', 'httpx'].map((s) => `${s}://case-api.drill.example.com/health`),
    ),
    ...takes('spec.failover', [approval('abort'), approval('proceed')]),
    ...refuses('spec.failover', [approval('wait')], 'spec.failover.approval.onTimeout'),
    ...takes(
      'spec.failover',
      [
        'env:TEAMS_WEBHOOK_URL',
        'ssm:/standby/teams-webhook',
        'secretsmanager:standby/teams+webhook=1.0@dr-x',
        'keyvault:https://dr-kv.vault.azure.net/secrets/teams-webhook',
      ].map(teams),
    ),
    ...refuses(
      'spec.failover',
      [
        'https://example.webhook.office.com/webhookb2/abc',
        'my-env:TEAMS_WEBHOOK_URL',
        'env:TEAMS_WEBHOOK_URL and more',
        'ssm:/',
        'ssm:/standby teams',
        'secretsmanager:',
        'secretsmanager:standby teams',
        'keyvault:https://dr kv/secrets/teams-webhook',
        'keyvault:https://dr-kv.vault.azure.net/secrets/',
        'keyvault:https://dr-kv.vault.azure.net/secrets/teams webhook',
      ].map(teams),
      'spec.failover.approval.notify.0.teams.webhookUrl',
    ),
  ])('%s = %j', (path, value, problems) => {
    expect(pathsOf(setAt(awsPlanDoc(), path, value))).toEqual(problems);
  });
});

describe('plan schema: the values an Azure plan takes', () => {
  const dns = (recordType: string) => ({
    azureDns: {
      zoneId: `/subscriptions/${ids.subscription}/resourceGroups/rg-case/providers/Microsoft.Network/dnszones/example.com`,
      recordSet: 'case',
      recoveryTarget: 'case-dr.example.net',
      recordType,
    },
  });
  const recoveryServices = {
    name: 'case-vm',
    azureRecoveryServices: {
      protectedItemId: ids.protectedItem,
      restore: { request: { properties: { objectType: 'IaasVMRestoreRequest' } } },
    },
  };
  it.each<Row>([
    ...takes('spec.routing', ['A', 'AAAA', 'CNAME'].map(dns)),
    ...refuses('spec.routing', [dns('MX')], 'spec.routing.azureDns.recordType'),
    ...takes('spec.recovery.region', ['westeurope']),
    ...refuses('spec.recovery.region', ['west europe']),
    ...takes('spec.resources', [[recoveryServices]]),
  ])('%s = %j', (path, value, problems) => {
    expect(pathsOf(setAt(azurePlanDoc(), path, value))).toEqual(problems);
  });
});

describe('plan schema: what it says about a refused value, in its own words', () => {
  it.each<[string, unknown, string, PlanDoc?]>([
    [
      'spec.failover',
      { mode: 'approval', approval: { notify: [], timeout: '30m' } },
      'at least one notify target (sns or teams) is required',
    ],
    [CLUSTER, cluster('r6g.large'), 'expected a DB instance class such as db.r6g.large or db.serverless'],
    ['spec.resources.1.name', 'Case-api', 'expected lower-case letters, digits and dashes'],
    ['spec.routing.route53.hostedZoneId', 'zone-1', 'expected a hosted zone id such as Z0123456789ABC'],
    ['spec.routing.route53.arc', arc([]), 'ARC needs at least one cluster endpoint'],
    ['metadata.name', 'Case', 'expected an application id of lower-case letters, digits and dashes'],
    [
      'spec.recovery.region',
      'West Europe',
      'expected a region name such as eu-central-1 or westeurope',
      azurePlanDoc(),
    ],
  ])('refuses %s = %j saying so', (path, value, message, doc = awsPlanDoc()) => {
    expect(problemsInText(stringify(setAt(doc, path, value))).map((p) => p.message)).toEqual([message]);
  });
});
