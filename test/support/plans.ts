/**
 * Builders of valid plan documents for tests. Each builder returns a fresh, schema-valid document
 * (the SPEC §2 example, trimmed); a test changes one thing with `withPlan` or plain spreading and
 * checks what that one change does.
 */
import { stringify } from 'yaml';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';

/** A plan document as written by a user: plain JSON-able data, before defaults. */
export type PlanDoc = Record<string, unknown> & {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
};

/** The account, subscription and ids the builders use, for assertions. */
export const ids = {
  account: '111122223333',
  subscription: '00000000-0000-0000-0000-000000000000',
  alarm: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health',
  vault: 'arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault',
  dbArn: 'arn:aws:rds:eu-west-1:111122223333:db:case-db',
  role: 'arn:aws:iam::111122223333:role/standby-restore',
  topic: 'arn:aws:sns:eu-central-1:111122223333:dr-approvals',
  alertRule:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-case/providers/microsoft.insights/metricAlerts/case-api-availability',
  backupInstance:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.DataProtection/backupVaults/dr-vault/backupInstances/case-files',
  protectedItem:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dr/providers/Microsoft.RecoveryServices/vaults/rsv/backupFabrics/Azure/protectionContainers/IaasVMContainer;iaasvmcontainerv2;rg;vm/protectedItems/VM;iaasvmcontainerv2;rg;vm',
  trafficManager:
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-case/providers/Microsoft.Network/trafficManagerProfiles/case',
} as const;

/** An AWS Backup resource entry (RDS in eu-west-1, copies in the eu-central-1 DR vault). */
export function awsResource(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    awsBackup: {
      resourceArn: `arn:aws:rds:eu-west-1:${ids.account}:db:${name}`,
      vaultArn: ids.vault,
      restore: { iamRoleArn: ids.role, metadata: { DBInstanceIdentifier: `${name}-dr` } },
    },
    ...extra,
  };
}

/** An Azure Backup (Data Protection) resource entry. */
export function azureResource(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    azureBackup: {
      backupInstanceId: ids.backupInstance.replace(/case-files$/, name),
      restore: { request: { objectType: 'AzureBackupRecoveryPointBasedRestoreRequest' } },
    },
    ...extra,
  };
}

/**
 * A valid AWS → AWS plan with automatic failover, one alarm trigger, two resources (`case-db` and
 * `case-api` depending on it) and weighted Route 53 routing. Only required fields and a few optional
 * ones are set, so defaults can be observed.
 */
export function awsPlanDoc(name = 'case-management'): PlanDoc {
  return {
    apiVersion: 'standby/v1',
    kind: 'RecoveryPlan',
    metadata: { name, owner: 'platform-team' },
    spec: {
      objectives: { rpo: '15m', rto: '60m' },
      primary: { cloud: 'aws', region: 'eu-west-1' },
      recovery: { cloud: 'aws', region: 'eu-central-1' },
      triggers: [{ awsAlarm: ids.alarm }],
      failover: { mode: 'automatic' },
      resources: [awsResource('case-db', { rpo: '5m' }), awsResource('case-api', { dependsOn: ['case-db'] })],
      validate: [{ http: { url: 'https://case-api.dr.example.com/internal/health' } }],
      routing: {
        route53: {
          hostedZoneId: 'Z0123456789ABC',
          recordName: 'case.example.com.',
          recordType: 'CNAME',
          strategy: 'weighted',
          primarySetIdentifier: 'primary',
          recoverySetIdentifier: 'recovery',
        },
      },
    },
  };
}

/** A valid Azure → Azure plan with approval failover (Teams), one Data Protection resource. */
export function azurePlanDoc(name = 'evidence-portal'): PlanDoc {
  return {
    apiVersion: 'standby/v1',
    kind: 'RecoveryPlan',
    metadata: { name },
    spec: {
      objectives: { rpo: '1h', rto: '4h' },
      primary: { cloud: 'azure', region: 'westeurope' },
      recovery: { cloud: 'azure', region: 'northeurope' },
      triggers: [{ azureAlertRule: ids.alertRule }],
      failover: {
        mode: 'approval',
        approval: { notify: [{ teams: { webhookUrl: 'env:TEAMS_WEBHOOK_URL' } }], timeout: '30m' },
      },
      resources: [azureResource('evidence-files')],
      routing: {
        azureTrafficManager: {
          profileId: ids.trafficManager,
          primaryEndpoint: 'primary',
          recoveryEndpoint: 'recovery',
        },
      },
    },
  };
}

/** A deep copy of `doc` with `change` applied to the copy; the original is never touched. */
export function withPlan(doc: PlanDoc, change: (copy: PlanDoc) => void): PlanDoc {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

/** Renders documents as one multi-document YAML text. */
export function planYaml(...docs: PlanDoc[]): string {
  return docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** Reads documents through the real loader and returns the checked plans. */
export function loadPlans(...docs: PlanDoc[]): RecoveryPlan[] {
  return readPlans([{ file: 'plans.yaml', text: planYaml(...docs) }]).map((l) => l.plan);
}

/** Reads one document through the real loader and returns the checked plan. */
export function loadPlan(doc: PlanDoc = awsPlanDoc()): RecoveryPlan {
  const [plan] = loadPlans(doc);
  if (!plan) throw new Error('loadPlan: the loader returned no plan');
  return plan;
}

/** A problem `readPlans` reports, without its file. */
export interface TextProblem {
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

/** What `readPlans` says about one plan text (`plan.yaml`): its problems, none when it reads. */
export function problemsInText(text: string): TextProblem[] {
  try {
    readPlans([{ file: 'plan.yaml', text }]);
  } catch (error) {
    if (!(error instanceof InvalidPlanError)) throw error;
    return error.problems.map(({ line, column, path, message }) => ({ line, column, path, message }));
  }
  return [];
}
