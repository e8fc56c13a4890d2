/**
 * Which AWS accounts a plan has the controller act in, and the role it assumes in each. The controller
 * acts where a plan's vaults (recovery points, restores, cluster instances), restore roles, hosted
 * zone and routing controls live; alarms reach it by forwarding and topics by their own policy, so
 * they need no role. An account other than the controller's needs a role in `spec.accounts`.
 */
import { InvalidInputError } from './errors.ts';
import { parseArn } from './identifiers.ts';
import type { BackupSource, RecoveryPlan, Routing } from './plan.ts';

/** The account of an ARN; `undefined` when it names none (S3 buckets). */
export const accountOfArn = (arn: string): string | undefined => parseArn(arn)?.account || undefined;

/** The account whose credentials read and restore a backup source: its vault's. `undefined`: not AWS. */
export function accountOfSource(source: BackupSource): string | undefined {
  // Stryker disable next-line ConditionalExpression: an Azure source has no vaultArn, and no ARN names no account.
  return source.kind === 'aws-backup' ? accountOfArn(source.vaultArn) : undefined;
}

/**
 * The account whose credentials switch a plan's traffic: the routing controls' account for ARC, the
 * hosted zone's `account` otherwise. `undefined`: the controller's own (or not AWS routing).
 */
export function accountOfRouting(routing: Routing | undefined): string | undefined {
  if (routing?.kind !== 'route53') return undefined;
  if (routing.arc) return accountOfArn(routing.arc.routingControlArns.recovery);
  return routing.account;
}

/** Every account a plan has the controller act in, each with the things that put it there. */
export function accountsActedIn(plan: RecoveryPlan): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (account: string | undefined, what: string) => {
    if (account) found.set(account, [...(found.get(account) ?? []), what]);
  };
  for (const r of plan.resources) {
    // Stryker disable next-line ConditionalExpression: an Azure source has no vault or role ARN, so adds no account.
    if (r.source.kind !== 'aws-backup') continue;
    add(accountOfArn(r.source.vaultArn), `vault of ${r.name}`);
    if (r.source.restore) add(accountOfArn(r.source.restore.iamRoleArn), `restore role of ${r.name}`);
  }
  const routing = plan.routing;
  if (routing?.kind === 'route53') {
    add(routing.account, `hosted zone ${routing.hostedZoneId}`);
    if (routing.arc)
      for (const arn of [routing.arc.routingControlArns.primary, routing.arc.routingControlArns.recovery])
        add(accountOfArn(arn), 'routing control');
  }
  return found;
}

/**
 * The role to assume in each account other than `controllerAccount`, over a plan set. Throws an
 * {@link InvalidInputError} naming every plan that acts in another account without a role for it,
 * and every account given two different roles by two plans.
 */
export function accountRoles(plans: readonly RecoveryPlan[], controllerAccount: string): Map<string, string> {
  const roles = new Map<string, { roleArn: string; plan: string }>();
  const problems: string[] = [];
  for (const plan of plans)
    for (const { account, roleArn } of plan.accounts ?? []) {
      const seen = roles.get(account);
      if (seen && seen.roleArn !== roleArn)
        problems.push(
          `plans ${seen.plan} and ${plan.name} name different roles for account ${account} (${seen.roleArn}, ${roleArn}); the controller assumes one role per account`,
        );
      else roles.set(account, { roleArn, plan: plan.name });
    }
  for (const plan of plans)
    for (const [account, things] of accountsActedIn(plan)) {
      if (account === controllerAccount) continue;
      if (!plan.accounts?.some((a) => a.account === account))
        problems.push(
          `plan ${plan.name} names account ${account} (${[...new Set(things)].join(', ')}) but no role there; add spec.accounts: [{ roleArn: arn:aws:iam::${account}:role/<role> }] (the controller runs in account ${controllerAccount})`,
        );
    }
  if (problems.length > 0) throw new InvalidInputError(problems.join('\n'));
  return new Map(
    [...roles].filter(([account]) => account !== controllerAccount).map(([a, r]) => [a, r.roleArn]),
  );
}
