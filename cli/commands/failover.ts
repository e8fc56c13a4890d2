/**
 * `standby failover --app NAME`: a manual failover through the same controller as alarms. With
 * `--dry-run` it evaluates the gates and prints the steps, in dependency order, and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { previewFailover, requestFailover } from '#shared/application/request-failover.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { OverridableGate } from '#shared/domain/failover.ts';
import { restoreWaves } from '#shared/domain/plan.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
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
  if (options.dryRun) {
    // The same decisions as the run, stopped before any write or effect.
    const { before, verdict } = await previewFailover(engine.controller, plan, trigger, override);
    const { gates, recoveryPoints } = verdict;
    const steps = [
      ...restoreWaves(plan.resources).flatMap((wave, i) =>
        wave.map((r) => ({ wave: i + 1, step: `restore:${r.name}`, from: recoveryPoints[r.name] ?? null })),
      ),
      ...plan.validate.map((p, i) => ({
        step: `validate:${i + 1}`,
        probe: `GET ${p.url} expect ${p.expectStatus}`,
      })),
      {
        step: 'switch',
        routing: plan.routing ? `${plan.routing.kind} → ${plan.recovery.region}` : 'none (no routing block)',
      },
    ];
    const refused = gates.some((g) => !g.passed);
    const would = before ?? {
      effect: refused
        ? 'refused'
        : plan.failover.mode === 'approval'
          ? 'approval-requested'
          : 'failover-started',
      reason: verdict.refusal ?? 'every gate passes',
    };
    if (options.json)
      io.stdout.write(
        `${JSON.stringify({ app: plan.name, mode: plan.failover.mode, would, gates, steps }, null, 2)}\n`,
      );
    else if (before) {
      io.stdout.write(
        `Failover of ${plan.name} (dry run: nothing is changed)\n\nWould be ${before.effect}: ${before.reason}\n`,
      );
    } else {
      io.stdout.write(
        `Failover of ${plan.name} to ${plan.recovery.cloud} ${plan.recovery.region} (dry run: nothing is changed)\n\nGates\n`,
      );
      for (const g of gates)
        io.stdout.write(`  ${g.passed ? 'pass' : 'FAIL'}  ${g.gate.padEnd(16)} ${g.reason}\n`);
      io.stdout.write('\nSteps\n');
      for (const s of steps)
        io.stdout.write(
          'wave' in s
            ? `  wave ${s.wave}  ${s.step.padEnd(28)} from ${s.from ?? '(no recovery point)'}\n`
            : 'probe' in s
              ? `          ${s.step.padEnd(28)} ${s.probe}\n`
              : `          ${s.step.padEnd(28)} ${s.routing}\n`,
        );
      if (plan.failover.mode === 'approval')
        io.stdout.write('\nMode approval: the failover waits for a human to approve it first.\n');
    }
    return refused || before ? ExitCode.ProblemFound : ExitCode.Ok;
  }
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
