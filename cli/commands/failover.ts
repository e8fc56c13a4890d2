/**
 * `standby failover --app NAME`: a manual failover through the same controller as alarms. With
 * `--dry-run` it evaluates the gates and prints the steps, in dependency order, and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { requestFailover } from '#shared/application/request-failover.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { OverridableGate } from '#shared/domain/failover.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { failoverDryRun } from './failover-dry-run.ts';
import { openEngineRun } from './run-context.ts';
import { engineStatus, renderStatusTable, statusDocument } from './status.ts';

/** The checked options of `failover`. */
export interface FailoverOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  readonly app: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Break-glass: refusing gates a person accepts (only fresh-backups and cooldown exist). */
  readonly accept?: readonly OverridableGate[];
  /** Why; required with `accept`. */
  readonly reason?: string;
}

/**
 * 1. Find the application; an unknown name is an input error naming the known ones.
 * 2. Dry run: the gates (each with its verdict) and the steps; exit 2 when a gate would refuse.
 * 3. Otherwise request the failover (mode approval still asks for approval: the CLI is one person),
 *    run until idle, save, print the status; exit 2 when it was refused or failed.
 */
export async function failoverCommand(options: FailoverOptions, io: CliIo): Promise<number> {
  const accept = options.accept ?? [];
  if (accept.length && !options.reason?.trim())
    throw new InvalidInputError(
      '--accept-stale and --accept-cooldown need --reason "…": an override is kept as evidence with who gave it and why',
    );
  const override = accept.length
    ? { by: `cli:${userInfo().username}`, reason: options.reason!.trim(), accept }
    : undefined;
  const { plans, engine } = await openEngineRun(options);
  const plan = plans.find((p) => p.name === options.app);
  if (!plan)
    throw new InvalidInputError(
      `no application "${options.app}" in the plan set; expected one of: ${plans.map((p) => p.name).join(', ')}`,
    );
  const trigger = { kind: 'manual', ref: 'cli', eventId: randomUUID() } as const;
  if (options.dryRun)
    return failoverDryRun(
      { plan, plans, engine, trigger, ...(override ? { override } : {}), json: options.json },
      io,
    );
  const result = await requestFailover(engine.controller, plan, trigger, override);
  await engine.runUntilIdle([plan]);
  await engine.save();
  const status = await engineStatus(engine, [plan]);
  if (options.json)
    io.stdout.write(`${JSON.stringify({ result, status: statusDocument(status) }, null, 2)}\n`);
  else io.stdout.write(`${result.effect}: ${result.reason}\n\n${renderStatusTable(status, false)}`);
  const phase = status.apps[0]?.failover?.phase;
  return result.effect === 'refused' || phase === 'failed' || phase === 'aborted'
    ? ExitCode.ProblemFound
    : ExitCode.Ok;
}
