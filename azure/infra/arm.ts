/** Shapes and helpers shared by the ARM template builders. Pure. */

/** The ARM deployment template schema the generated templates declare. */
export const DEPLOYMENT_TEMPLATE_SCHEMA =
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** One resource of an ARM template (plain JSON). */
export type ArmResource = Record<string, unknown> & { readonly type: string; readonly name: string };

/** An ARM template expression: `[…]` around an expression. */
export const expr = (expression: string): string => `[${expression}]`;

/** An ARM string literal inside an expression (single quotes doubled). */
export const lit = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** API versions of the template's own resources. */
export const WEB_API = '2024-04-01';
export const COSMOS_API = '2024-11-15';
export const STORAGE_API = '2023-05-01';
export const KEY_VAULT_API = '2023-07-01';

/** Resource ids of the template's own resources, as expressions. */
export const ID = {
  site: "resourceId('Microsoft.Web/sites', parameters('appName'))",
  plan: "resourceId('Microsoft.Web/serverfarms', variables('planName'))",
  storage: "resourceId('Microsoft.Storage/storageAccounts', variables('storageName'))",
  insights: "resourceId('Microsoft.Insights/components', variables('insightsName'))",
  workspace: "resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))",
  cosmos: "resourceId('Microsoft.DocumentDB/databaseAccounts', variables('cosmosName'))",
  vault: "resourceId('Microsoft.KeyVault/vaults', variables('keyVaultName'))",
  topic: "resourceId('Microsoft.EventGrid/topics', variables('topicName'))",
} as const;

/** The events endpoint (without key), as an expression. */
export const EVENTS_URL = `concat('https://', reference(${ID.site}, '${WEB_API}').defaultHostName, '/api/events')`;
