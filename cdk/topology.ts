/**
 * The deployment a plan set calls for around one recovery region's controller, derived at synth:
 * - **forwarders**: every account and region, other than the controller's own, where the plans'
 *   alarms live (Route 53 health-check alarms always live in us-east-1) or where their backups,
 *   copies and restores run, each with the alarm ARNs it forwards and whether it forwards AWS Backup
 *   events; CloudWatch and AWS Backup emit their events there, not in the recovery region;
 * - **members**: every other account the controller acts in, with the role it assumes there and
 *   what that role may do (plan-grants.ts).
 * docs/deploy-aws.md draws it.
 */

import { parseArn } from '#shared/domain/identifiers.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { accountOfArn, accountRoles } from '#shared/domain/plan-accounts.ts';
import { type PlanPermissions, planPermissions } from './plan-grants.ts';

/** The region every Route 53 health-check metric (and so its alarm) lives in. */
export const ROUTE53_HEALTH_CHECK_REGION = 'us-east-1';

/** One account and region whose events are forwarded to the recovery region's bus. */
export interface Forwarder {
  readonly account: string;
  readonly region: string;
  /** Alarms of the plans there (sorted). */
  readonly alarmArns: readonly string[];
  /** Whether AWS Backup job, copy, restore and recovery point events are forwarded from there. */
  readonly backupEvents: boolean;
}

/** One account, other than the controller's, that the controller acts in. */
export interface Member {
  readonly account: string;
  /** The role the controller assumes there (`spec.accounts`). */
  readonly roleArn: string;
  /** What the plans name in that account. */
  readonly permissions: PlanPermissions;
}

/** The deployment around one recovery region's controller. */
export interface Topology {
  readonly controllerAccount: string;
  readonly recoveryRegion: string;
  /** The plans this controller owns: AWS recovery into `recoveryRegion`. */
  readonly plans: readonly RecoveryPlan[];
  readonly forwarders: readonly Forwarder[];
  readonly members: readonly Member[];
}

/**
 * The topology of the plans that recover into AWS `recoveryRegion`, run from `controllerAccount`.
 * Throws (naming the plan and what is where) when a plan acts in another account without a role.
 */
export function topologyOf(
  allPlans: readonly RecoveryPlan[],
  controllerAccount: string,
  recoveryRegion: string,
): Topology {
  const plans = allPlans.filter((p) => p.recovery.cloud === 'aws' && p.recovery.region === recoveryRegion);
  const roles = accountRoles(plans, controllerAccount);
  const sites = new Map<string, { account: string; region: string; alarms: Set<string>; backup: boolean }>();
  const site = (account: string | undefined, region: string | undefined) => {
    if (!account || !region || (account === controllerAccount && region === recoveryRegion)) return undefined;
    const key = `${account}/${region}`;
    let found = sites.get(key);
    if (!found) {
      found = { account, region, alarms: new Set(), backup: false };
      sites.set(key, found);
    }
    return found;
  };
  for (const plan of plans) {
    for (const trigger of plan.triggers) {
      if (!('awsAlarm' in trigger)) continue;
      const arn = parseArn(trigger.awsAlarm);
      site(arn?.account, arn?.region)?.alarms.add(trigger.awsAlarm);
    }
    for (const r of plan.resources) {
      if (r.source.kind !== 'aws-backup') continue;
      const vault = parseArn(r.source.vaultArn);
      const resource = parseArn(r.source.resourceArn);
      // Backup and copy jobs run where the resource is; an S3 bucket's ARN names neither region nor
      // account: the plan's primary region and the vault's account.
      const primary = plan.primary.cloud === 'aws' ? plan.primary.region : undefined;
      const source = site(resource?.account || vault?.account, resource?.region || primary);
      if (source) source.backup = true;
      // Restores (and arriving copies) happen in the vault's account and region.
      const target = site(vault?.account, vault?.region);
      if (target) target.backup = true;
    }
  }
  const forwarders = [...sites.values()]
    .map((s) => ({
      account: s.account,
      region: s.region,
      alarmArns: [...s.alarms].sort(),
      backupEvents: s.backup,
    }))
    .sort((a, b) => `${a.account}/${a.region}`.localeCompare(`${b.account}/${b.region}`));
  const members = [...roles]
    .map(([account, roleArn]) => ({
      account,
      roleArn,
      permissions: planPermissions(plans, { account, ownAccount: controllerAccount }),
    }))
    .sort((a, b) => a.account.localeCompare(b.account));
  return { controllerAccount, recoveryRegion, plans, forwarders, members };
}

/** The accounts, other than the controller's, whose forwarders put events on the recovery bus. */
export function forwardingAccounts(topology: Topology): string[] {
  return [...new Set(topology.forwarders.map((f) => f.account))]
    .filter((a) => a !== topology.controllerAccount)
    .sort();
}

/** The restore roles a member stack may create: the plans' restore roles in that account. */
export function restoreRolesIn(member: Member): string[] {
  return member.permissions.restoreRoleArns.filter((arn) => accountOfArn(arn) === member.account);
}
