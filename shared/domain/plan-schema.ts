/**
 * The `RecoveryPlan` document (SPEC §2) as a zod schema. This is the single source of truth for the
 * plan's shape: the TypeScript types are inferred from it and `schema/recovery-plan.schema.json` is
 * generated from it. Rules that span fields (dependency cycles, approval iff mode approval, ...)
 * live in `plan.ts`, which builds the checked `RecoveryPlan`.
 */
import * as z from 'zod';
import { DURATION_HELP, parseDuration } from './duration.ts';
import { type ArnKind, type AzureIdKind, arnProblem, azureIdProblem, isAwsRegion } from './identifiers.ts';
import { parseSchedule } from './schedule-expression.ts';

const duration = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? `is required: a duration, ${DURATION_HELP}`
        : `expected a duration: ${DURATION_HELP}`,
  })
  .refine((s) => parseDuration(s) !== undefined, {
    error: (issue) => `"${String(issue.input)}" is not a duration; expected ${DURATION_HELP}`,
  })
  // The pattern is for editors reading the generated JSON Schema; the refine above is what checks.
  .meta({ description: `Duration: ${DURATION_HELP}`, pattern: '^[1-9][0-9]*[smhd]$' });

/** A string checked by an identifier rule (`arnProblem`, `azureIdProblem`), whose words become the issue. */
const identifier = (problemOf: (text: string) => string | undefined, description: string) =>
  z
    .string()
    .check((ctx) => {
      const problem = problemOf(ctx.value);
      // Stryker disable next-line StringLiteral: describeIssue words a custom issue and an issue of no known code alike.
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .describe(description);

const arn = (kind: ArnKind, description: string) => identifier((text) => arnProblem(text, kind), description);

const azureId = (kind: AzureIdKind, description: string) =>
  identifier((text) => azureIdProblem(text, kind), description);

/** A secret is never written into a plan: it is a reference such as `env:TEAMS_WEBHOOK_URL`. */
const secretRef = z
  .string()
  .regex(
    /^(env:[A-Z_][A-Z0-9_]*|ssm:\/[\w./-]+|secretsmanager:[\w/+=.@-]+|keyvault:https:\/\/[\w.-]+\/secrets\/[\w-]+)$/,
    {
      error: (issue) =>
        `"${String(issue.input).slice(0, 12)}…" is not a secret reference; write env:NAME, ssm:/path, secretsmanager:name or keyvault:https://<vault>/secrets/<name> — never the secret itself`,
    },
  )
  .describe(
    'A reference to a secret (env:NAME, ssm:/path, secretsmanager:name, keyvault:https://<vault>/secrets/<name>); never the secret itself',
  );

const site = z
  .strictObject({
    cloud: z.enum(['aws', 'azure']),
    region: z
      .string()
      .regex(/^[a-z0-9-]+$/, { error: 'expected a region name such as eu-central-1 or westeurope' })
      .describe('AWS region (eu-central-1) or Azure location (westeurope)'),
  })
  .check((ctx) => {
    if (ctx.value.cloud === 'aws' && !isAwsRegion(ctx.value.region))
      ctx.issues.push({
        // Stryker disable next-line StringLiteral: describeIssue words a custom issue and an issue of no known code alike.
        code: 'custom',
        path: ['region'],
        message: `"${ctx.value.region}" is not an AWS region; expected e.g. eu-central-1`,
        input: ctx.value.region,
      });
  });

const trigger = z.union([
  z.strictObject({ awsAlarm: arn('alarm', 'CloudWatch alarm ARN (metric, metric-math or composite alarm)') }),
  z.strictObject({ azureAlertRule: azureId('alertRule', 'Azure Monitor alert rule id') }),
]);

const notifyTarget = z.union([
  z.strictObject({
    sns: arn('snsTopic', 'SNS topic that receives the approval request (e-mail subscribers)'),
  }),
  z.strictObject({ teams: z.strictObject({ webhookUrl: secretRef }) }),
]);

const approval = z.strictObject({
  notify: z.array(notifyTarget).min(1, { error: 'at least one notify target (sns or teams) is required' }),
  timeout: duration,
  onTimeout: z.enum(['abort', 'proceed']).default('abort'),
});

const failover = z.strictObject({
  mode: z.enum(['automatic', 'approval', 'manual']),
  approval: approval.optional(),
  cooldown: duration.optional(),
  requireFreshBackups: z.boolean().default(true),
});

const awsBackup = z.strictObject({
  resourceArn: arn('any', 'ARN of the protected resource'),
  vaultArn: arn('vault', 'Backup vault in the recovery region where the recovery copies must be'),
  restore: z
    .strictObject({
      iamRoleArn: arn('iamRole', 'Role AWS Backup assumes for the restore'),
      metadata: z
        .record(z.string(), z.string())
        .default({})
        .describe(
          "Overrides of the recovery point's own restore metadata (GetRecoveryPointRestoreMetadata), which a restore starts from",
        ),
      resourceType: z.string().optional(),
      copySourceTags: z
        .boolean()
        .optional()
        .describe("CopySourceTagsToRestoredResource: copy the backup's tags to the restored resource"),
      clusterInstances: z
        .strictObject({
          // db.serverless: Aurora Serverless v2 (the restored cluster needs its scaling configuration).
          instanceClass: z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, {
            error: 'expected a DB instance class such as db.r6g.large or db.serverless',
          }),
          count: z.number().int().min(1).max(16).default(1),
        })
        .optional()
        .describe(
          'Aurora, DocumentDB and Neptune: the DB instances to create in the restored cluster (AWS Backup restores the cluster only)',
        ),
    })
    .optional(),
});

/** Data Protection restore requests that restore from a recovery point (the one a failover chose). */
export const POINT_BASED_RESTORE_REQUESTS = [
  'AzureBackupRecoveryPointBasedRestoreRequest',
  'AzureBackupRestoreWithRehydrationRequest',
] as const;

const azureBackup = z.strictObject({
  backupInstanceId: azureId('backupInstance', 'Data Protection backup instance id'),
  restore: z
    .strictObject({
      request: z.record(z.string(), z.unknown()).check((ctx) => {
        const objectType = ctx.value['objectType'];
        if (
          objectType !== undefined &&
          !(POINT_BASED_RESTORE_REQUESTS as readonly unknown[]).includes(objectType)
        )
          ctx.issues.push({
            // Stryker disable next-line StringLiteral: describeIssue words a custom issue and an issue of no known code alike.
            code: 'custom',
            path: ['objectType'],
            message: `"${String(objectType)}" does not restore from a recovery point; use one of ${POINT_BASED_RESTORE_REQUESTS.join(', ')}`,
            input: objectType,
          });
      }),
    })
    .optional(),
});

const azureRecoveryServices = z.strictObject({
  protectedItemId: azureId('protectedItem', 'Recovery Services vault protected item id'),
  restore: z.strictObject({ request: z.record(z.string(), z.unknown()) }).optional(),
});

/** What a drill restores instead of the production target: never the production names. */
const resourceDrill = z
  .strictObject({
    metadata: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        'AWS Backup: restore metadata keys that replace the production ones in a drill (e.g. DBInstanceIdentifier)',
      ),
    request: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Azure: top-level fields of the restore request that replace the production ones in a drill'),
  })
  .describe('Drill overrides: where a drill restores this resource (drill names, never the production ones)');

const resource = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected lower-case letters, digits and dashes' }),
  rpo: duration.optional(),
  dependsOn: z.array(z.string()).default([]),
  awsBackup: awsBackup.optional(),
  azureBackup: azureBackup.optional(),
  azureRecoveryServices: azureRecoveryServices.optional(),
  drill: resourceDrill.optional(),
});

const httpProbe = z.strictObject({
  http: z.strictObject({
    url: z.url({ protocol: /^https?$/ }),
    expectStatus: z.number().int().min(100).max(599).default(200),
    timeout: duration.default('5s'),
    attempts: z.number().int().min(1).max(100).default(3),
    drillUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Where a drill runs this probe: the drill target, never the production one'),
    journey: z
      .boolean()
      .default(false)
      .describe(
        'A business-journey check (e.g. create a case and read it back): what validation level L4 needs',
      ),
  }),
});

const drill = z
  .strictObject({
    schedule: z
      .string()
      .superRefine((text, ctx) => {
        const parsed = parseSchedule(text);
        // Stryker disable next-line StringLiteral: describeIssue words a custom issue and an issue of no known code alike.
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
      })
      .describe(
        'When drills run, as EventBridge Scheduler writes it (UTC): rate(7 days), cron(0 6 ? * MON *)',
      )
      .optional(),
    keep: z
      .boolean()
      .default(false)
      .describe('Leave what the drill restored for inspection instead of deleting it'),
    keepFor: duration
      .optional()
      .describe(
        'With keep: true, how long what a drill restored is kept before Standby deletes it (default 1d)',
      ),
  })
  .refine((d) => d.keepFor === undefined || d.keep, {
    error: 'keepFor applies only with keep: true (without keep, a drill deletes what it restored at once)',
    path: ['keepFor'],
  })
  .describe('Restore drills of this application');

const accountId = z
  .string()
  .regex(/^[0-9]{12}$/, { error: 'expected a 12-digit AWS account id such as "444455556666" (quoted)' });

/** An AWS account other than the controller's, and the role the controller assumes to act in it. */
const account = z.strictObject({
  roleArn: arn(
    'iamRole',
    "Role in that account which the controller assumes (sts:AssumeRole) for everything the plan has there: its vaults' recovery points, restores, hosted zone",
  ),
});

const route53 = z.strictObject({
  hostedZoneId: z.string().regex(/^(\/hostedzone\/)?Z[A-Z0-9]{1,31}$/, {
    error: 'expected a hosted zone id such as Z0123456789ABC',
  }),
  account: accountId
    .optional()
    .describe(
      "The account that owns the hosted zone, when it is not the controller's (then spec.accounts names its role)",
    ),
  recordName: z.string().min(1),
  recordType: z.enum(['A', 'AAAA', 'CNAME']),
  strategy: z.enum(['weighted', 'failover', 'arc']),
  primarySetIdentifier: z.string().optional(),
  recoverySetIdentifier: z.string().optional(),
  arc: z
    .strictObject({
      routingControlArns: z.strictObject({
        primary: arn('routingControl', 'ARC routing control of the primary cell'),
        recovery: arn('routingControl', 'ARC routing control of the recovery cell'),
      }),
      clusterEndpoints: z
        .array(z.strictObject({ endpoint: z.url(), region: z.string() }))
        .min(1, { error: 'ARC needs at least one cluster endpoint' }),
    })
    .optional(),
});

const azureTrafficManager = z.strictObject({
  profileId: azureId('trafficManagerProfile', 'Traffic Manager profile id'),
  primaryEndpoint: z.string().min(1),
  recoveryEndpoint: z.string().min(1),
});

const azureDns = z.strictObject({
  zoneId: azureId('dnsZone', 'Azure DNS zone id'),
  recordSet: z.string().min(1),
  recordType: z.enum(['A', 'AAAA', 'CNAME']).default('CNAME'),
  recoveryTarget: z.string().min(1),
});

const routing = z.strictObject({
  route53: route53.optional(),
  azureTrafficManager: azureTrafficManager.optional(),
  azureDns: azureDns.optional(),
});

/** The zod schema of one plan document. */
export const recoveryPlanSchema = z
  .strictObject({
    apiVersion: z.literal('standby/v1'),
    kind: z.literal('RecoveryPlan'),
    metadata: z.strictObject({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
        error: 'expected an application id of lower-case letters, digits and dashes',
      }),
      owner: z.string().optional(),
    }),
    spec: z.strictObject({
      objectives: z.strictObject({ rpo: duration, rto: duration }),
      warnAt: z.number().gt(0).lte(1).default(0.8),
      primary: site,
      recovery: site,
      triggers: z.array(trigger).default([]),
      failover,
      resources: z.array(resource).min(1, { error: 'a plan protects at least one resource' }),
      validate: z.array(httpProbe).default([]),
      routing: routing.optional(),
      drill: drill.optional(),
      accounts: z
        .array(account)
        .optional()
        .describe(
          "AWS accounts other than the controller's in which this plan's vaults, restore roles, hosted zone or routing controls live: one role per account",
        ),
    }),
  })
  .describe('Standby RecoveryPlan: one application, its objectives, triggers, resources and routing');

/** A plan document as written, after defaults. */
export type RecoveryPlanDocument = z.output<typeof recoveryPlanSchema>;
/** One `spec.resources[]` entry. */
export type ResourceDocument = RecoveryPlanDocument['spec']['resources'][number];
/** The `spec.routing` block. */
export type RoutingDocument = NonNullable<RecoveryPlanDocument['spec']['routing']>;
