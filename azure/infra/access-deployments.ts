/**
 * The plans' grants ({@link planGrants}) as ARM: one nested deployment per resource group that holds
 * granted resources, in that group's subscription, with the custom roles that group needs (assignable
 * only in that group) and one role assignment per grant, scoped to the resource itself — or to the
 * group for the Data Protection cross-region calls. Pure.
 */
import { parseAzureId } from '#shared/domain/identifiers.ts';
import { BUILT_IN_ROLES, CUSTOM_ROLES, type CustomRole, type Grant } from './access.ts';
import { type ArmResource, DEPLOYMENT_TEMPLATE_SCHEMA, expr } from './arm.ts';

/** The API versions of the authorization and deployment resources. */
export const ROLE_API = '2022-04-01';
export const DEPLOYMENTS_API = '2022-09-01';

/**
 * The controller identity's principal id inside a nested deployment. It is handed in as an object
 * (`identity.principalId`): the schema's `DeploymentParameter.value` is `oneOf [{}, expression]`, which
 * a bare expression string matches twice.
 */
const PRINCIPAL_ID = "parameters('identity').principalId";

/** A role assignment of the controller identity, as an extension resource on `scope` (relative), or on the group. */
function assignment(grant: Grant, relativeScope: string | undefined): ArmResource {
  const roleDefinitionId =
    grant.role.kind === 'builtIn'
      ? `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${BUILT_IN_ROLES[grant.role.key].id}')]`
      : `[resourceId('Microsoft.Authorization/roleDefinitions', ${customRoleGuid(grant.role.key)})]`;
  // Assignment names are unique in the tenant: the group's id is part of each.
  const scopeExpr = relativeScope ? `resourceGroup().id, '${relativeScope}'` : 'resourceGroup().id';
  const roleExpr =
    grant.role.kind === 'builtIn' ? `'${BUILT_IN_ROLES[grant.role.key].id}'` : `'${grant.role.key}'`;
  return {
    type: 'Microsoft.Authorization/roleAssignments',
    apiVersion: ROLE_API,
    name: `[guid(${scopeExpr}, ${PRINCIPAL_ID}, ${roleExpr})]`,
    ...(relativeScope ? { scope: relativeScope } : {}),
    ...(grant.role.kind === 'custom'
      ? {
          dependsOn: [
            `[resourceId('Microsoft.Authorization/roleDefinitions', ${customRoleGuid(grant.role.key)})]`,
          ],
        }
      : {}),
    properties: {
      roleDefinitionId,
      principalId: expr(PRINCIPAL_ID),
      principalType: 'ServicePrincipal',
      description: `Standby controller: ${grant.why}`,
    },
  };
}

/** The GUID expression of a custom role defined in the group (one definition per group). */
const customRoleGuid = (key: CustomRole): string => `guid(resourceGroup().id, 'standby-role', '${key}')`;

/** A custom role, assignable only in the group it is defined in. */
function customRoleDefinition(key: CustomRole): ArmResource {
  const role = CUSTOM_ROLES[key];
  return {
    type: 'Microsoft.Authorization/roleDefinitions',
    apiVersion: ROLE_API,
    name: `[${customRoleGuid(key)}]`,
    properties: {
      // Role names are unique in a tenant: the group makes them so.
      roleName: `[format('${role.roleName} ({0}/{1})', subscription().subscriptionId, resourceGroup().name)]`,
      description: role.description,
      type: 'CustomRole',
      permissions: [{ actions: [...role.actions], notActions: [] }],
      assignableScopes: ['[resourceGroup().id]'],
    },
  };
}

/** The scope of a grant relative to its group (`Provider/type/name[/type/name…]`), or none for the group itself. */
function relativeScopeOf(scope: string): string | undefined {
  const id = parseAzureId(scope);
  if (!id) return undefined;
  return [id.provider, ...id.segments.flat()].join('/');
}

/** The nested deployments that grant the identity of `site` (an expression of its id) what the plans need. */
export function accessDeployments(grants: readonly Grant[], site: string): ArmResource[] {
  const groups = new Map<string, { subscriptionId: string; resourceGroup: string; grants: Grant[] }>();
  for (const g of grants) {
    const parts = g.scope.split('/');
    const subscriptionId = parts[2]!;
    const resourceGroup = parts[4]!;
    const key = `${subscriptionId}/${resourceGroup}`.toLowerCase();
    const entry = groups.get(key) ?? { subscriptionId, resourceGroup, grants: [] };
    entry.grants.push(g);
    groups.set(key, entry);
  }
  return [...groups.values()].map((group, i) => {
    const custom = [
      ...new Set(group.grants.flatMap((g) => (g.role.kind === 'custom' ? [g.role.key] : []))),
    ].sort();
    return {
      type: 'Microsoft.Resources/deployments',
      apiVersion: DEPLOYMENTS_API,
      name: `standby-access-${i + 1}`,
      subscriptionId: group.subscriptionId,
      resourceGroup: group.resourceGroup,
      dependsOn: [expr(site)],
      properties: {
        mode: 'Incremental',
        expressionEvaluationOptions: { scope: 'Inner' },
        parameters: {
          identity: {
            value: { principalId: expr(`reference(${site}, '2024-04-01', 'full').identity.principalId`) },
          },
        },
        template: {
          $schema: DEPLOYMENT_TEMPLATE_SCHEMA,
          contentVersion: '1.0.0.0',
          parameters: { identity: { type: 'object' } },
          resources: [
            ...custom.map(customRoleDefinition),
            ...group.grants.map((g) => assignment(g, relativeScopeOf(g.scope))),
          ],
        },
      },
    };
  });
}
