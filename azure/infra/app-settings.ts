/**
 * The Function App's settings in the template: what `azure/composition.ts` reads, with every secret
 * as a Key Vault reference (the approval key, and each Teams webhook a plan names as `env:NAME`).
 */
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { auditSchedule } from '../audit-schedule.ts';
import { COSMOS_API, expr, ID } from './arm.ts';

/** The Key Vault secret holding the approval key. */
export const APPROVAL_KEY_SECRET = 'approval-key';

/** The Key Vault secret name of an app setting that holds a webhook (`TEAMS_WEBHOOK_URL` → `teams-webhook-url`). */
export const secretNameOf = (setting: string): string => setting.toLowerCase().replaceAll('_', '-');

/** The app settings the plans' Teams targets name (`env:NAME`). */
export function webhookSettings(plans: readonly RecoveryPlan[]): string[] {
  const names = plans.flatMap((p) =>
    (p.failover.approval?.notify ?? []).flatMap((t) =>
      'teams' in t ? [t.teams.webhookUrl.replace(/^env:/, '')] : [],
    ),
  );
  return [...new Set(names)].sort();
}

/** A Key Vault reference app setting value. */
const keyVaultReference = (secret: string): string =>
  expr(`concat('@Microsoft.KeyVault(VaultName=', variables('keyVaultName'), ';SecretName=${secret})')`);

/** The app settings of the controller of `region` for its own plans. */
export function appSettings(own: readonly RecoveryPlan[], region: string): { name: string; value: string }[] {
  return [
    { name: 'AzureWebJobsStorage__accountName', value: expr("variables('storageName')") },
    {
      name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
      value: expr(`reference(${ID.insights}, '2020-02-02').ConnectionString`),
    },
    { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' },
    { name: 'STANDBY_REGION', value: region },
    { name: 'STANDBY_AUDIT_SCHEDULE', value: auditSchedule(own) },
    { name: 'COSMOS_ENDPOINT', value: expr(`reference(${ID.cosmos}, '${COSMOS_API}').documentEndpoint`) },
    { name: 'COSMOS_DATABASE', value: 'standby' },
    { name: 'COSMOS_CONTAINER', value: 'state' },
    { name: 'APPROVAL_KEY', value: keyVaultReference(APPROVAL_KEY_SECRET) },
    { name: 'EVENT_GRID_TOPIC_ENDPOINT', value: expr(`reference(${ID.topic}, '2025-02-15').endpoint`) },
    { name: 'STANDBY_METRICS_RESOURCE_ID', value: expr(ID.site) },
    // The site's own host name cannot be read in its own definition: the default one is used.
    {
      name: 'APPROVAL_BASE_URL',
      value: expr("concat('https://', parameters('appName'), '.azurewebsites.net/api/approval')"),
    },
    // Empty: freshness alerts are only logged (readAzureEnvironment treats an empty setting as unset).
    { name: 'ALERT_TEAMS_WEBHOOK', value: expr("parameters('alertsWebhookSetting')") },
    ...webhookSettings(own).map((name) => ({ name, value: keyVaultReference(secretNameOf(name)) })),
  ];
}
