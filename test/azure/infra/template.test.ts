/**
 * The generated ARM template, checked against the official deployment template schema (a copy of
 * Azure/azure-resource-manager-schemas in test/fixtures/arm-schema, see its README) and for what a
 * security review asks: the identity, each role assignment's scope, and no broad role anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from '#azure/infra/access.ts';
import { controllerTemplate } from '#azure/infra/template.ts';
import { loadPlanSet } from '#platform/plan-files.ts';
import { azurePlanDoc, ids, loadPlan, withPlan } from '../../support/plans.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCHEMAS = join(ROOT, 'test/fixtures/arm-schema');
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const ZONE = `/subscriptions/${ids.subscription}/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.org`;

// A CommonJS module: under NodeNext its default import is `module.exports`, whose `default` is the class.
const ajv = new AjvDraft04.default({ strict: false, allErrors: false, validateFormats: false });
for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.json')))
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')));
const validTemplate = ajv.getSchema(
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
)!;

type Json = Record<string, unknown>;
interface Assignment {
  /** The ARM id it applies to (resolved from the nested deployment's group and its relative scope). */
  scope: string;
  roleDefinitionId: string;
  resource: Json;
}

/** A second plan recovering in North Europe, routed by Azure DNS in another group. */
const dnsPlan = loadPlan(
  withPlan(azurePlanDoc('evidence-portal'), (d) => {
    d.spec.routing = {
      azureDns: { zoneId: ZONE, recordSet: 'portal', recoveryTarget: 'portal-ne.example.org' },
    };
  }),
);
const plans = [...(await loadPlanSet([join(ROOT, 'examples/plans')])), dnsPlan];
const template = controllerTemplate({ plans, region: 'North Europe' }) as Json & { resources: Json[] };
const citizen = plans.find((p) => p.name === 'citizen-portal')!;

/** Every role assignment, in the template or its nested deployments, with its effective scope. */
function assignments(): Assignment[] {
  const found: Assignment[] = [];
  for (const r of template.resources) {
    if (r['type'] === 'Microsoft.Authorization/roleAssignments')
      found.push({ scope: String(r['scope']), roleDefinitionId: roleOf(r), resource: r });
    if (r['type'] !== 'Microsoft.Resources/deployments') continue;
    const group = `/subscriptions/${r['subscriptionId']}/resourceGroups/${r['resourceGroup']}`;
    const inner = (r['properties'] as { template: { resources: Json[] } }).template.resources;
    for (const a of inner.filter((x) => x['type'] === 'Microsoft.Authorization/roleAssignments'))
      found.push({
        scope: a['scope'] ? `${group}/providers/${a['scope']}` : group,
        roleDefinitionId: roleOf(a),
        resource: a,
      });
  }
  return found;
}
const roleOf = (r: Json) => String((r['properties'] as Json)['roleDefinitionId']);
const scopesWith = (role: string) =>
  assignments()
    .filter((a) => a.roleDefinitionId.includes(role))
    .map((a) => a.scope.toLowerCase());
const vaultOf = (id: string) => id.split('/').slice(0, 9).join('/').toLowerCase();

describe('the Azure controller template', () => {
  it('is a valid ARM deployment template, and so is each nested deployment', () => {
    expect(validTemplate(template), JSON.stringify(validTemplate.errors?.slice(0, 3))).toBe(true);
    const nested = template.resources.filter((r) => r['type'] === 'Microsoft.Resources/deployments');
    expect(nested.length).toBeGreaterThanOrEqual(2);
    for (const d of nested) {
      const inner = (d['properties'] as Json)['template'];
      expect(validTemplate(inner), JSON.stringify(validTemplate.errors?.slice(0, 3))).toBe(true);
    }
  });

  it('fails schema validation on a broken resource, so the check can fail', () => {
    const broken = structuredClone(template);
    const vault = broken.resources.find((r) => r['type'] === 'Microsoft.KeyVault/vaults')!;
    (vault['properties'] as Json)['sku'] = { family: 'A', name: 'superb' };
    expect(validTemplate(broken)).toBe(false);
  });

  it('runs a Function App in the recovery region with a system-assigned identity on Flex Consumption', () => {
    const site = template.resources.find((r) => r['type'] === 'Microsoft.Web/sites')!;
    expect(site['identity']).toEqual({ type: 'SystemAssigned' });
    expect(site['location']).toBe("[variables('recoveryRegion')]");
    expect((template['variables'] as Json)['recoveryRegion']).toBe('northeurope');
    const plan = template.resources.find((r) => r['type'] === 'Microsoft.Web/serverfarms')!;
    expect(plan['sku']).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
    const settings = (
      (site['properties'] as Json)['siteConfig'] as { appSettings: { name: string; value: string }[] }
    ).appSettings;
    expect(Object.fromEntries(settings.map((s) => [s.name, s.value]))).toMatchObject({
      STANDBY_REGION: 'northeurope',
      STANDBY_AUDIT_SCHEDULE: '0 */15 * * * *',
      APPROVAL_KEY: expect.stringContaining('@Microsoft.KeyVault(VaultName='),
      TEAMS_WEBHOOK_URL: expect.stringContaining('SecretName=teams-webhook-url'),
    });
  });

  it("keeps the state in Cosmos DB with one write region, the recovery region, and a replica in the plans' primary", () => {
    const account = template.resources.find((r) => r['type'] === 'Microsoft.DocumentDB/databaseAccounts')!;
    const p = account['properties'] as Json;
    expect(p['locations']).toEqual([
      expect.objectContaining({ locationName: "[variables('recoveryRegion')]", failoverPriority: 0 }),
      expect.objectContaining({ locationName: "[parameters('stateReplicaRegion')]", failoverPriority: 1 }),
    ]);
    expect(p).toMatchObject({ enableMultipleWriteLocations: false, disableLocalAuth: true });
    expect((template['parameters'] as Json)['stateReplicaRegion']).toMatchObject({
      defaultValue: 'westeurope',
    });
  });

  it("scopes the identity's roles to each plan's vaults, DNS zone and Traffic Manager profile", () => {
    const restore = scopesWith('backupRestore');
    for (const r of citizen.resources) {
      const id =
        r.source.kind === 'azure-backup'
          ? r.source.backupInstanceId
          : (r.source as { protectedItemId: string }).protectedItemId;
      expect(restore).toContain(vaultOf(id));
    }
    expect(restore).toContain(vaultOf(ids.backupInstance));
    expect(scopesWith('crossRegionRestore')).toEqual(
      expect.arrayContaining([
        '/subscriptions/6f1c2e4a-3b5d-4c7e-9a8b-2d4f6e8a0c1b/resourcegroups/rg-citizen-portal',
        `/subscriptions/${ids.subscription}/resourcegroups/rg-dr`,
      ]),
    );
    expect(scopesWith(BUILT_IN_ROLES.trafficManagerContributor.id)).toEqual([
      (citizen.routing as { profileId: string }).profileId.toLowerCase(),
    ]);
    expect(scopesWith(BUILT_IN_ROLES.dnsZoneContributor.id)).toEqual([ZONE.toLowerCase()]);
  });

  it('grants no Owner or Contributor, and nothing at subscription scope', () => {
    const all = assignments();
    expect(all.length).toBeGreaterThan(5);
    for (const a of all) {
      expect(a.roleDefinitionId).not.toContain(OWNER);
      expect(a.roleDefinitionId).not.toContain(CONTRIBUTOR);
      expect(a.scope).not.toMatch(/^\/subscriptions\/[^/]+\/?$/);
      expect(a.scope).not.toMatch(/subscription\(\)\.id/);
    }
    // The custom roles list actions, never a wildcard, and are assignable only in their own group.
    const definitions = template.resources
      .filter((r) => r['type'] === 'Microsoft.Resources/deployments')
      .flatMap((d) => ((d['properties'] as Json)['template'] as { resources: Json[] }).resources)
      .filter((r) => r['type'] === 'Microsoft.Authorization/roleDefinitions');
    expect(definitions.length).toBeGreaterThan(0);
    for (const d of definitions) {
      const p = d['properties'] as { permissions: { actions: string[] }[]; assignableScopes: string[] };
      expect(p.assignableScopes).toEqual(['[resourceGroup().id]']);
      for (const action of p.permissions.flatMap((x) => x.actions)) expect(action).not.toContain('*');
    }
  });

  it('points an action group at the events endpoint with the common alert schema, and alerts operators on the controller', () => {
    const groups = template.resources.filter((r) => r['type'] === 'Microsoft.Insights/actionGroups');
    const triggers = groups.find((g) => String(g['name']).includes('-triggers'))!;
    const [hook] = (triggers['properties'] as { webhookReceivers: Json[] }).webhookReceivers;
    expect(hook).toMatchObject({
      useCommonAlertSchema: true,
      serviceUri: expect.stringMatching(
        /\/api\/events'\), '\?code=', parameters\('eventsFunctionKey'\)\)\]$/,
      ),
    });
    const rules = template.resources.filter((r) => r['type'] === 'Microsoft.Insights/scheduledQueryRules');
    expect(rules.map((r) => r['name'])).toEqual(['standby-function-failures', 'standby-missed-audit']);
    const missed = rules[1]!['properties'] as { windowSize: string; criteria: { allOf: Json[] } };
    expect(missed.windowSize).toBe('PT45M'); // three 15-minute audit intervals
    expect(missed.criteria.allOf[0]).toMatchObject({ operator: 'LessThan', threshold: 1 });
  });

  it('refuses a region into which no plan recovers on Azure', () => {
    expect(() => controllerTemplate({ plans, region: 'westeurope' })).toThrow(
      'no plan recovers on Azure in westeurope',
    );
  });
});
