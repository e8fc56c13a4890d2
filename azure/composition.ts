/**
 * The Azure composition root: the one place on the Azure side that reads `process.env`, builds the
 * credential, the Cosmos DB container and the adapters, and wires them into the use cases. Built once
 * per worker on first use ({@link azureRuntime}); the function registrations call it lazily so a test
 * can import them without Azure settings.
 *
 * App settings:
 * - `STANDBY_PLANS_PATH`  plan file or directory deployed with the app (read and checked once);
 *                         default: `plans/` next to the entry point, where `npm run package:azure` puts them;
 * - `STANDBY_REGION`      the region this controller activates (e.g. `northeurope`); default: the
 *                         platform's `REGION_NAME`;
 * - `COSMOS_ENDPOINT`, `COSMOS_DATABASE` (default `standby`), `COSMOS_CONTAINER` (default `state`):
 *                         the state container, reached with the app's managed identity;
 * - `APPROVAL_KEY`        approval-token HMAC key, ≥ 32 bytes: a Key Vault reference, never a literal;
 * - `APPROVAL_KEY_PREVIOUS` optional: the key before the last rotation (verifies only, until the
 *                         tokens it signed expire);
 * - `ALERT_TEAMS_WEBHOOK` optional name of the setting holding the Teams webhook for freshness alerts;
 * - `EVENT_GRID_TOPIC_ENDPOINT` optional: the custom topic outbound events go to (managed identity);
 * - `STANDBY_METRICS_RESOURCE_ID` optional: the resource (the Function App) freshness metrics are
 *                         written on; unset: no metrics.
 * - `APPROVAL_BASE_URL`   optional: the approval endpoint (`https://<app>.azurewebsites.net/api/approval`);
 *                         Teams cards then link to its pages instead of showing CLI commands;
 * - `WEBSITE_AUTH_ENABLED` set by the platform when App Service authentication is on: only then is
 *                         the signed-in user's header believed as the approver;
 * - `STANDBY_AUDIT_SCHEDULE` the audit timer's NCRONTAB schedule (read by the host, see audit-schedule.ts).
 *
 * Clients are made when the runtime is first built, and the ARM ones per subscription on first use.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import { HttpProber } from '#platform/http-prober.ts';
import { builtOnce } from '#platform/lazy.ts';
import { loadPlanSet } from '#platform/plan-files.ts';
import { WebhookTeamsNotifier } from '#platform/teams/teams-notifier.ts';
import { CompositeRestoreService, CompositeTrafficSwitch } from '#shared/application/composite-actions.ts';
import { CompositeInventory } from '#shared/application/composite-inventory.ts';
import { type Controller, createController } from '#shared/application/controller.ts';
import type { AuditReport } from '#shared/application/run-audit.ts';
import { keyring } from '#shared/domain/approval-token.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { BackupInventory } from '#shared/ports/backup-inventory.ts';
import { type Clock, systemClock } from '#shared/ports/clock.ts';
import type { Notifier } from '#shared/ports/notifier.ts';
import { AzureDnsSwitch } from './adapters/azure-dns-switch.ts';
import { CosmosStateStore } from './adapters/cosmos-state-store.ts';
import { DataProtectionInventory } from './adapters/data-protection-inventory.ts';
import { DataProtectionRestoreService } from './adapters/data-protection-restore.ts';
import { EventGridPublisher } from './adapters/event-grid-publisher.ts';
import { MonitorMetricsPublisher } from './adapters/monitor-metrics.ts';
import { RecoveryServicesInventory } from './adapters/recovery-services-inventory.ts';
import { RecoveryServicesRestoreService } from './adapters/recovery-services-restore.ts';
import { ArmRestoredResourceCleaner } from './adapters/restored-resource-cleaner.ts';
import { TrafficManagerSwitch } from './adapters/traffic-manager-switch.ts';

/** Where the package keeps the plans: `plans/` next to the bundled entry point. */
export const PACKAGED_PLANS_PATH = fileURLToPath(new URL('./plans', import.meta.url));

/** An app setting name, as an `env:NAME` reference accepts it. */
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The settings the composition root reads. */
export interface AzureEnvironment {
  readonly plansPath: string;
  readonly region: string;
  readonly cosmosEndpoint: string;
  readonly cosmosDatabase: string;
  readonly cosmosContainer: string;
  readonly approvalKey: Buffer;
  /** The key before the last rotation, which still verifies the tokens it signed. */
  readonly previousApprovalKey?: Buffer;
  /** `env:NAME` reference of the Teams webhook for freshness alerts, when configured. */
  readonly alertTarget?: string;
  /** The Event Grid custom topic endpoint for outbound events, when configured. */
  readonly eventGridEndpoint?: string;
  /** The resource freshness metrics are written on, when configured. */
  readonly metricsResourceId?: string;
  /** The approval endpoint the Teams cards link to, when configured. */
  readonly approvalBaseUrl?: string;
  /** App Service authentication is on: its principal header names the approver. */
  readonly trustPlatformIdentity: boolean;
}

/** Reads the settings; throws {@link InvalidInputError} naming every missing or unusable one. */
export function readAzureEnvironment(env: NodeJS.ProcessEnv = process.env): AzureEnvironment {
  const region = env['STANDBY_REGION'] || env['REGION_NAME'];
  const problems = [
    ...(['COSMOS_ENDPOINT', 'APPROVAL_KEY'] as const).filter((n) => !env[n]).map((n) => `${n} is not set`),
    ...(region ? [] : ['STANDBY_REGION is not set (nor REGION_NAME)']),
  ];
  const key = Buffer.from(env['APPROVAL_KEY'] ?? '', 'utf8');
  if (env['APPROVAL_KEY'] && key.length < 32)
    problems.push(`APPROVAL_KEY holds ${key.length} bytes; at least 32 are required`);
  const previous = env['APPROVAL_KEY_PREVIOUS']
    ? Buffer.from(env['APPROVAL_KEY_PREVIOUS'], 'utf8')
    : undefined;
  if (previous && previous.length < 32)
    problems.push(`APPROVAL_KEY_PREVIOUS holds ${previous.length} bytes; at least 32 are required`);
  const topic = env['EVENT_GRID_TOPIC_ENDPOINT'];
  if (topic && !/^https:\/\/[^/\s]+(\/api\/events)?\/?$/.test(topic))
    problems.push(
      `EVENT_GRID_TOPIC_ENDPOINT must be the topic's https endpoint (https://<topic>.<region>-1.eventgrid.azure.net/api/events); got ${topic}`,
    );
  // The value is not echoed: a webhook URL pasted here instead of a setting name is a secret.
  const alertSetting = env['ALERT_TEAMS_WEBHOOK'];
  if (alertSetting && !SETTING_NAME.test(alertSetting))
    problems.push(
      'ALERT_TEAMS_WEBHOOK must be the name of the app setting that holds the webhook (letters, digits, _), not the webhook itself',
    );
  const approvalBase = env['APPROVAL_BASE_URL'];
  if (approvalBase && !/^https:\/\/[^/\s]+(\/[^\s?#]*)?$/.test(approvalBase))
    problems.push(
      `APPROVAL_BASE_URL must be an https URL without query (its links carry tokens); got ${approvalBase}`,
    );
  if (problems.length > 0) throw new InvalidInputError(`Standby app settings: ${problems.join('; ')}`);
  return {
    plansPath: env['STANDBY_PLANS_PATH'] || PACKAGED_PLANS_PATH,
    region: normalizeRegion(region!),
    cosmosEndpoint: env['COSMOS_ENDPOINT']!,
    cosmosDatabase: env['COSMOS_DATABASE'] || 'standby',
    cosmosContainer: env['COSMOS_CONTAINER'] || 'state',
    approvalKey: key,
    ...(previous && !previous.equals(key) ? { previousApprovalKey: previous } : {}),
    ...(alertSetting ? { alertTarget: `env:${alertSetting}` } : {}),
    ...(topic ? { eventGridEndpoint: topic } : {}),
    ...(env['STANDBY_METRICS_RESOURCE_ID'] ? { metricsResourceId: env['STANDBY_METRICS_RESOURCE_ID'] } : {}),
    ...(approvalBase ? { approvalBaseUrl: approvalBase } : {}),
    trustPlatformIdentity: env['WEBSITE_AUTH_ENABLED']?.toLowerCase() === 'true',
  };
}

/**
 * A plan's Teams webhook on Azure: `env:NAME` names an app setting (in the template, a Key Vault
 * reference); any other kind of reference is refused, saying what to write instead.
 */
export function appSettingWebhook(
  reference: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const name = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(reference)?.[1];
  if (!name)
    throw new InvalidInputError(
      'the Azure controller reads Teams webhooks from app settings: write env:NAME and set NAME (a Key Vault reference)',
    );
  return env[name];
}

/** Everything the Azure functions use, built once per worker. */
export interface AzureRuntime {
  readonly plans: readonly RecoveryPlan[];
  /** The plans this controller owns: those whose recovery site is Azure in this region. */
  readonly ownPlans: readonly RecoveryPlan[];
  readonly region: string;
  readonly controller: Controller;
  /** App Service authentication is on (see {@link AzureEnvironment.trustPlatformIdentity}). */
  readonly trustPlatformIdentity: boolean;
  readonly inventory: BackupInventory;
  readonly clock: Clock;
  readonly notifier: Notifier;
  readonly alertTarget?: string;
  /** Writes each audit's freshness to Azure Monitor, when configured. */
  readonly metrics?: { publish(report: AuditReport): Promise<void> };
}

/** Builds the runtime from the settings, with the app's managed identity (DefaultAzureCredential). */
export async function createAzureRuntime(env: AzureEnvironment): Promise<AzureRuntime> {
  const plans = await loadPlanSet([env.plansPath], 'STANDBY_PLANS_PATH');
  const credential = new DefaultAzureCredential();
  const arm = { credential };
  const container = new CosmosClient({ endpoint: env.cosmosEndpoint, aadCredentials: credential })
    .database(env.cosmosDatabase)
    .container(env.cosmosContainer);
  const inventory = new CompositeInventory({
    'azure-backup': new DataProtectionInventory(arm),
    'azure-recovery-services': new RecoveryServicesInventory(arm),
  });
  const notifier = new WebhookTeamsNotifier({
    resolveWebhook: async (reference) => appSettingWebhook(reference),
    ...(env.approvalBaseUrl ? { approvalBaseUrl: env.approvalBaseUrl } : {}),
  });
  const controller = createController({
    store: new CosmosStateStore({ container }),
    inventory,
    restores: new CompositeRestoreService({
      'azure-backup': new DataProtectionRestoreService(arm),
      'azure-recovery-services': new RecoveryServicesRestoreService(arm),
    }),
    // Deletes what drills restored (disks, VMs with their own disks and NICs); refuses other types, named.
    cleaner: new ArmRestoredResourceCleaner(arm),
    prober: new HttpProber(),
    traffic: new CompositeTrafficSwitch({
      azureTrafficManager: new TrafficManagerSwitch(arm),
      azureDns: new AzureDnsSwitch(arm),
    }),
    notifier,
    ...(env.eventGridEndpoint
      ? { events: new EventGridPublisher({ endpoint: env.eventGridEndpoint, credential }) }
      : {}),
    clock: systemClock,
    approvalKey: keyring(env.approvalKey, env.previousApprovalKey),
    newId: randomUUID,
    owner: `azure:${process.env['WEBSITE_INSTANCE_ID'] ?? randomUUID()}`,
  });
  return {
    plans,
    ownPlans: plans.filter(
      (p) => p.recovery.cloud === 'azure' && normalizeRegion(p.recovery.region) === env.region,
    ),
    region: env.region,
    controller,
    trustPlatformIdentity: env.trustPlatformIdentity,
    inventory,
    clock: systemClock,
    notifier,
    ...(env.alertTarget ? { alertTarget: env.alertTarget } : {}),
    ...(env.metricsResourceId
      ? {
          metrics: new MonitorMetricsPublisher({
            resourceId: env.metricsResourceId,
            region: env.region,
            credential,
          }),
        }
      : {}),
  };
}

/** The runtime of this worker, built on first use; a failed build is retried by the next call. */
export const azureRuntime = builtOnce(() => createAzureRuntime(readAzureEnvironment()));
