/**
 * The clean-up Lambdas: one per group of `functions/cleanup/groups.ts` whose services the plans' drills
 * restore in this account, each with only its services' delete grants (`cdk/cleanup-grants.ts`).
 * They are invoked synchronously by the controller's functions ({@link CleanupFunctions.grantInvoke}),
 * never by an event, so they have no trigger and no on-failure destination.
 */
import { Validations } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CLEANUP_FUNCTIONS, type CleanupFunction } from '#functions/cleanup/groups.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { acknowledgeCleanupWildcards, cleanupStatements } from '../cleanup-grants.ts';
import { StandbyFunction } from './standby-function.ts';

/** Properties of {@link CleanupFunctions}. */
export interface CleanupFunctionsProps {
  /** The plans this controller owns. */
  readonly plans: readonly RecoveryPlan[];
  /** The account the controller runs in: the only one the clean-up deletes in. */
  readonly account: string;
  /** The project root (the handler files). */
  readonly projectRoot: string;
  readonly logRetention: RetentionDays;
}

const constructIdOf = (name: CleanupFunction) =>
  `${name.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase())}Function`;

/** The clean-up functions the plans need; see the module comment. */
export class CleanupFunctions extends Construct {
  /** The functions, by group name; a group none of whose services the plans drill has none. */
  readonly functions: ReadonlyMap<CleanupFunction, StandbyFunction>;

  constructor(scope: Construct, id: string, props: CleanupFunctionsProps) {
    super(scope, id);
    const statements = cleanupStatements(props.plans, props.account);
    const functions = new Map<CleanupFunction, StandbyFunction>();
    for (const [name, services] of Object.entries(CLEANUP_FUNCTIONS) as [
      CleanupFunction,
      readonly string[],
    ][]) {
      const own = services.flatMap((s) => statements.get(s) ?? []);
      if (own.length === 0) continue;
      const fn = new StandbyFunction(this, constructIdOf(name), {
        projectRoot: props.projectRoot,
        entry: `functions/handlers/${name}.ts`,
        description: `Standby: deletes what drills restored (${services.join(', ')})`,
        environment: { STANDBY_ACCOUNT: props.account },
        logRetention: props.logRetention,
        // Invoked synchronously: the caller sees the failure; nothing is retried in the background.
        retryAttempts: 0,
      });
      for (const statement of own) fn.role.addToPrincipalPolicy(statement);
      acknowledgeCleanupWildcards(fn, own);
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'Node 22 is the runtime the bundle targets and is tested on; moving to Node 24 is a deliberate upgrade.',
      });
      functions.set(name, fn);
    }
    this.functions = functions;
  }

  /** The `CLEANUP_FUNCTIONS` value of the controller's functions; `undefined` when there is none. */
  get routes(): string | undefined {
    if (this.functions.size === 0) return undefined;
    return [...this.functions]
      .flatMap(([name, fn]) =>
        CLEANUP_FUNCTIONS[name].map((service) => `${service}=${fn.function.functionName}`),
      )
      .join(',');
  }

  /** Lets `role` invoke each clean-up function, and nothing else (no version or alias wildcard). */
  grantInvoke(role: IRole): void {
    if (this.functions.size === 0) return;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [...this.functions.values()].map((fn) => fn.function.functionArn),
      }),
    );
  }
}
