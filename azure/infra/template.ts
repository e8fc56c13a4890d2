/**
 * The ARM template of one region's Azure controller, generated from the plans it owns
 * (`npm run template:azure`). Pure: plans in, template JSON out. What it deploys:
 *
 * - a Function App on Flex Consumption in the recovery region, with a system-assigned identity, its
 *   deployment storage (identity-based, no shared keys) and Application Insights (Entra auth);
 * - the Cosmos DB state account: single write region = the recovery region, a read replica in the
 *   plans' primary region, strong consistency, Entra-only data access, database `standby`, container
 *   `state` (`/pk`, TTL on without default);
 * - a Key Vault (RBAC) holding the approval key and the Teams webhooks, read through Key Vault
 *   references by the app — the only identity with access to its secrets;
 * - an Event Grid custom topic (identity-only publishing) for outbound events;
 * - the action groups and alert rules of controller-alerts.ts;
 * - role assignments of the identity on its own resources and, through access-deployments.ts, on
 *   the plans' vaults, DNS zones and Traffic Manager profiles.
 */
import { auditIntervalMinutes } from '#shared/domain/audit-interval.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { stateContainerDefinition } from '../adapters/cosmos-state-store.ts';
import { auditSchedule } from '../audit-schedule.ts';
import { BUILT_IN_ROLES, type BuiltInRole, planGrants } from './access.ts';
import { accessDeployments, ROLE_API } from './access-deployments.ts';
import { APPROVAL_KEY_SECRET, appSettings, secretNameOf, webhookSettings } from './app-settings.ts';
import {
  type ArmResource,
  COSMOS_API,
  DEPLOYMENT_TEMPLATE_SCHEMA,
  EVENTS_URL,
  expr,
  ID,
  KEY_VAULT_API,
  STORAGE_API,
  WEB_API,
} from './arm.ts';
import { actionGroups, controllerAlerts } from './controller-alerts.ts';

/** What the template is generated from. */
export interface TemplateInput {
  readonly plans: readonly RecoveryPlan[];
  /** The recovery region this controller serves. */
  readonly region: string;
}

/** A role assignment of the identity on one of the template's own resources. */
function ownAssignment(scopeId: string, role: BuiltInRole, dependsOn: string): ArmResource {
  const { id } = BUILT_IN_ROLES[role];
  return {
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: ROLE_API,
    name: expr(`guid(${scopeId}, ${ID.site}, '${id}')`),
    scope: expr(scopeId),
    dependsOn: [expr(dependsOn), expr(ID.site)],
    properties: {
      roleDefinitionId: expr(`subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${id}')`),
      principalId: expr(`reference(${ID.site}, '${WEB_API}', 'full').identity.principalId`),
      principalType: 'ServicePrincipal',
      description: `Standby controller: ${BUILT_IN_ROLES[role].name}`,
    },
  };
}

/** The ARM template for the controller of `region`; refuses a region into which no plan recovers on Azure. */
export function controllerTemplate(input: TemplateInput): Record<string, unknown> {
  const region = normalizeRegion(input.region);
  const own = input.plans.filter(
    (p) => p.recovery.cloud === 'azure' && normalizeRegion(p.recovery.region) === region,
  );
  if (own.length === 0) throw new RangeError(`no plan recovers on Azure in ${region}`);
  const primaries = own
    .filter((p) => p.primary.cloud === 'azure')
    .map((p) => normalizeRegion(p.primary.region));
  const replica = primaries.find((r) => r !== region);
  const interval = auditIntervalMinutes(own);
  const webhooks = webhookSettings(own);
  const settings = appSettings(own, region);
  const resources: ArmResource[] = [
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: STORAGE_API,
      name: expr("variables('storageName')"),
      location: expr("variables('recoveryRegion')"),
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      properties: {
        allowSharedKeyAccess: false,
        allowBlobPublicAccess: false,
        minimumTlsVersion: 'TLS1_2',
        supportsHttpsTrafficOnly: true,
      },
    },
    {
      type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
      apiVersion: STORAGE_API,
      name: expr("concat(variables('storageName'), '/default/deployments')"),
      dependsOn: [expr(ID.storage)],
      properties: { publicAccess: 'None' },
    },
    {
      type: 'Microsoft.OperationalInsights/workspaces',
      apiVersion: '2023-09-01',
      name: expr("variables('workspaceName')"),
      location: expr("variables('recoveryRegion')"),
      properties: { sku: { name: 'PerGB2018' }, retentionInDays: 90 },
    },
    {
      type: 'Microsoft.Insights/components',
      apiVersion: '2020-02-02',
      name: expr("variables('insightsName')"),
      location: expr("variables('recoveryRegion')"),
      kind: 'web',
      dependsOn: [expr(ID.workspace)],
      properties: {
        Application_Type: 'web',
        WorkspaceResourceId: expr(ID.workspace),
        DisableLocalAuth: true,
      },
    },
    {
      type: 'Microsoft.Web/serverfarms',
      apiVersion: WEB_API,
      name: expr("variables('planName')"),
      location: expr("variables('recoveryRegion')"),
      kind: 'functionapp',
      sku: { name: 'FC1', tier: 'FlexConsumption' },
      properties: { reserved: true },
    },
    {
      type: 'Microsoft.Web/sites',
      apiVersion: WEB_API,
      name: expr("parameters('appName')"),
      location: expr("variables('recoveryRegion')"),
      kind: 'functionapp,linux',
      identity: { type: 'SystemAssigned' },
      dependsOn: [ID.plan, ID.storage, ID.insights, ID.cosmos, ID.vault, ID.topic].map(expr),
      properties: {
        serverFarmId: expr(ID.plan),
        httpsOnly: true,
        siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled', appSettings: settings },
        functionAppConfig: {
          deployment: {
            storage: {
              type: 'blobContainer',
              value: expr(
                `concat(reference(${ID.storage}, '${STORAGE_API}').primaryEndpoints.blob, 'deployments')`,
              ),
              authentication: { type: 'SystemAssignedIdentity' },
            },
          },
          scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 },
          runtime: { name: 'node', version: '20' },
        },
      },
    },
    {
      type: 'Microsoft.DocumentDB/databaseAccounts',
      apiVersion: COSMOS_API,
      name: expr("variables('cosmosName')"),
      location: expr("variables('recoveryRegion')"),
      kind: 'GlobalDocumentDB',
      properties: {
        databaseAccountOfferType: 'Standard',
        // One write region, the recovery region: ETag conditions are global (docs/design/multi-region.md).
        locations: [
          { locationName: expr("variables('recoveryRegion')"), failoverPriority: 0, isZoneRedundant: false },
          {
            locationName: expr("parameters('stateReplicaRegion')"),
            failoverPriority: 1,
            isZoneRedundant: false,
          },
        ],
        consistencyPolicy: { defaultConsistencyLevel: 'Strong' },
        enableMultipleWriteLocations: false,
        enableAutomaticFailover: true,
        disableLocalAuth: true,
        minimalTlsVersion: 'Tls12',
      },
    },
    {
      type: 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases',
      apiVersion: COSMOS_API,
      name: expr("concat(variables('cosmosName'), '/standby')"),
      dependsOn: [expr(ID.cosmos)],
      properties: { resource: { id: 'standby' } },
    },
    {
      type: 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers',
      apiVersion: COSMOS_API,
      name: expr("concat(variables('cosmosName'), '/standby/state')"),
      dependsOn: [
        expr(
          "resourceId('Microsoft.DocumentDB/databaseAccounts/sqlDatabases', variables('cosmosName'), 'standby')",
        ),
      ],
      properties: {
        resource: {
          id: 'state',
          partitionKey: { paths: [...stateContainerDefinition.partitionKey.paths], kind: 'Hash' },
          defaultTtl: stateContainerDefinition.defaultTtl,
        },
      },
    },
    {
      type: 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
      apiVersion: COSMOS_API,
      name: expr(
        `concat(variables('cosmosName'), '/', guid(${ID.cosmos}, ${ID.site}, 'state-data-contributor'))`,
      ),
      dependsOn: [
        expr(
          "resourceId('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers', variables('cosmosName'), 'standby', 'state')",
        ),
        expr(ID.site),
      ],
      properties: {
        // Cosmos DB Built-in Data Contributor, on the state container only.
        roleDefinitionId: expr(
          `concat(${ID.cosmos}, '/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002')`,
        ),
        principalId: expr(`reference(${ID.site}, '${WEB_API}', 'full').identity.principalId`),
        scope: expr(`concat(${ID.cosmos}, '/dbs/standby/colls/state')`),
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults',
      apiVersion: KEY_VAULT_API,
      name: expr("variables('keyVaultName')"),
      location: expr("variables('recoveryRegion')"),
      properties: {
        tenantId: expr('subscription().tenantId'),
        sku: { family: 'A', name: 'standard' },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults/secrets',
      apiVersion: KEY_VAULT_API,
      name: expr(`concat(variables('keyVaultName'), '/${APPROVAL_KEY_SECRET}')`),
      dependsOn: [expr(ID.vault)],
      properties: {
        value: expr("parameters('approvalKey')"),
        contentType: 'Standby approval-token HMAC key',
      },
    },
    {
      type: 'Microsoft.EventGrid/topics',
      apiVersion: '2025-02-15',
      name: expr("variables('topicName')"),
      location: expr("variables('recoveryRegion')"),
      properties: { inputSchema: 'EventGridSchema', disableLocalAuth: true, publicNetworkAccess: 'Enabled' },
    },
    ownAssignment(ID.storage, 'storageBlobDataOwner', ID.storage),
    ownAssignment(ID.vault, 'keyVaultSecretsUser', ID.vault),
    ownAssignment(ID.topic, 'eventGridDataSender', ID.topic),
    ownAssignment(ID.insights, 'monitoringMetricsPublisher', ID.insights),
    ownAssignment(ID.site, 'monitoringMetricsPublisher', ID.site),
    ...actionGroups(EVENTS_URL),
    ...controllerAlerts({ appName: "parameters('appName')", insightsId: ID.insights }, interval),
    ...accessDeployments(planGrants(own), ID.site),
  ];
  return {
    $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
    contentVersion: '1.0.0.0',
    metadata: {
      description: `Standby controller for ${region}: plans ${own.map((p) => p.name).join(', ')}. Generated by npm run template:azure; do not edit.`,
    },
    parameters: {
      appName: {
        type: 'string',
        defaultValue: `standby-${region}`,
        maxLength: 32,
        metadata: { description: 'The Function App name (also the prefix of the other resources).' },
      },
      stateReplicaRegion: {
        type: 'string',
        ...(replica ? { defaultValue: replica } : {}),
        metadata: {
          description: "Where the state account keeps its read replica: the plans' primary region.",
        },
      },
      approvalKey: {
        type: 'securestring',
        minLength: 32,
        metadata: {
          description: 'The approval-token HMAC key (at least 32 random characters), stored in Key Vault.',
        },
      },
      operatorEmail: {
        type: 'string',
        metadata: { description: 'Where alerts on the controller itself go.' },
      },
      eventsFunctionKey: {
        type: 'securestring',
        defaultValue: '',
        metadata: {
          description: "The events function's key; empty on the first deployment (no action group yet).",
        },
      },
      alertEndpointEntraAppObjectId: {
        type: 'string',
        defaultValue: '',
        metadata: {
          description:
            'Object id of the Entra app protecting the events endpoint (secure webhook); empty: key only.',
        },
      },
      alertEndpointEntraAppIdentifierUri: { type: 'string', defaultValue: '' },
      alertsWebhookSetting: {
        type: 'string',
        defaultValue: '',
        allowedValues: ['', ...webhooks],
        metadata: {
          description:
            'The app setting (a Teams webhook the plans name) freshness alerts go to; empty: only logged.',
        },
      },
    },
    variables: {
      recoveryRegion: region,
      suffix: "[uniqueString(resourceGroup().id, parameters('appName'))]",
      planName: "[concat(parameters('appName'), '-plan')]",
      storageName: "[concat('st', variables('suffix'))]",
      workspaceName: "[concat(parameters('appName'), '-logs')]",
      insightsName: "[concat(parameters('appName'), '-insights')]",
      cosmosName: "[concat(parameters('appName'), '-state')]",
      keyVaultName: "[concat('kv', variables('suffix'))]",
      topicName: "[concat(parameters('appName'), '-events')]",
    },
    resources,
    outputs: {
      functionAppName: { type: 'string', value: expr("parameters('appName')") },
      principalId: {
        type: 'string',
        value: expr(`reference(${ID.site}, '${WEB_API}', 'full').identity.principalId`),
      },
      eventsEndpoint: {
        type: 'string',
        value: expr(EVENTS_URL),
      },
      keyVaultName: { type: 'string', value: expr("variables('keyVaultName')") },
      webhookSecrets: { type: 'array', value: webhooks.map(secretNameOf) },
      auditSchedule: { type: 'string', value: auditSchedule(own) },
    },
  };
}
