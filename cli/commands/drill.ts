/**
 * `standby drill --app NAME`: a restore drill through the same engine as failovers (purpose `drill`):
 * restore under drill names into the recovery region, validate the drill targets, never touch traffic,
 * tear down what was restored, and record the measured RPO and RTO on the evidence chain.
 */
import { randomUUID } from 'node:crypto';
import { advanceFailover } from '#shared/application/advance-failover.ts';
import type { Controller } from '#shared/application/controller.ts';
import { readAppState } from '#shared/application/failover-repository.ts';
import { requestDrill } from '#shared/application/request-drill.ts';
import { type DrillResult, measureDrill } from '#shared/domain/drill.ts';
import { formatAge, formatDuration } from '#shared/domain/duration.ts';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { type Failover, Purpose } from '#shared/domain/failover.ts';
import { RETRY_AFTER_SECONDS } from '#shared/domain/failover-transition.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { nextRestoreCompletion } from '#sim/aws/backup-restore.ts';
import { nextAzureRestoreCompletion, settleAzureRestoreJobs } from '#sim/azure/restore.ts';
import type { SimulatedCloud } from '#sim/cloud.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { openEngineRun } from './run-context.ts';

/** The checked options of `drill`. */
export interface DrillOptions {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  readonly app: string;
  readonly json: boolean;
  readonly stats: boolean;
}

/**
 * 1. Find the application; an unknown name, or a plan that cannot drill (no drill names, no drill
 *    probe targets), is an input error naming what is missing.
 * 2. Request the drill, then carry it to its end; in simulation, simulated time moves to each job's end.
 * 3. Save, print the drill (phases, measured RPO/RTO against the targets, what was torn down); exit 2
 *    when it was refused, failed or aborted.
 */
export async function drillCommand(options: DrillOptions, io: CliIo): Promise<number> {
  const { plans, engine } = await openEngineRun(options);
  const plan = plans.find((p) => p.name === options.app);
  if (!plan)
    throw new InvalidInputError(
      `no application "${options.app}" in the plan set; expected one of: ${plans.map((p) => p.name).join(', ')}`,
    );
  const cloud = engine.cloud;
  const { controller } = engine;
  const result = await requestDrill(controller, plan, { kind: 'manual', ref: 'cli', eventId: randomUUID() });
  if (result.effect === 'refused' && !result.drillId) throw new InvalidInputError(result.reason);
  await runDrill(controller, plan, cloud);
  await engine.save();
  const drill = (await readAppState(controller.store, plan.name, Purpose.Drill)).failover;
  const measured = drill ? measureDrill(drill) : undefined;
  const calls = options.stats && cloud ? cloud.stats() : undefined;
  const stats = calls ? { stats: { calls } } : {};
  if (options.json)
    io.stdout.write(`${JSON.stringify({ result, drill: measured ?? null, ...stats }, null, 2)}\n`);
  else {
    io.stdout.write(`${result.effect}: ${result.reason}\n`);
    if (drill && measured) io.stdout.write(renderDrill(drill, measured));
    if (calls)
      for (const [api, n] of Object.entries(calls)) io.stdout.write(`  ${String(n).padStart(5)}  ${api}\n`);
  }
  return drill?.phase === 'completed' && result.effect !== 'refused' ? ExitCode.Ok : ExitCode.ProblemFound;
}

/** Advances the drill until it ends or waits for the outside world (a real cloud's jobs). */
async function runDrill(controller: Controller, plan: RecoveryPlan, cloud?: SimulatedCloud): Promise<void> {
  for (let round = 0; round < 10_000; round++) {
    const stopped = await advanceFailover(controller, plan, Purpose.Drill);
    if (!cloud || stopped !== 'waiting-for-jobs') return;
    const next = [nextRestoreCompletion(cloud), nextAzureRestoreCompletion(cloud)]
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    cloud.clock.advanceTo(next ?? new Date(cloud.clock.now().getTime() + RETRY_AFTER_SECONDS * 1000));
    settleAzureRestoreJobs(cloud);
  }
}

const seconds = (s: number | null) => (s === null ? '—' : formatDuration(s));
const measured = (s: number | null) => (s === null ? '—' : formatAge(s));

function renderDrill(drill: Failover, m: DrillResult): string {
  const lines = [
    '',
    `Drill ${drill.id} of ${drill.app}: ${drill.phase}${drill.reason ? ` (${drill.reason})` : ''}`,
    `  phases       ${drill.history.map((h) => h.phase).join(' → ')}`,
    `  actual RPO   ${measured(m.rpoSeconds)} (target ${seconds(m.rpoTargetSeconds)}${m.rpoResource ? `, ${m.rpoResource}: the closest to its RPO` : ''})`,
    `  actual RTO   ${measured(m.rtoSeconds)} (target ${seconds(m.rtoTargetSeconds)})`,
    `  level        ${m.level ?? 'none proved'}`,
    '',
    '  resource                 actual RPO   target      restore     created (torn down)',
    ...m.resources.map(
      (r) =>
        `  ${r.resource.padEnd(24)} ${measured(r.rpoSeconds).padEnd(12)} ${seconds(r.rpoTargetSeconds).padEnd(11)} ${measured(r.restoreSeconds).padEnd(11)} ${r.createdResource ?? '—'}${r.createdResource ? (r.tornDown ? ' (deleted)' : ' (LEFT BEHIND)') : ''}`,
    ),
    ...m.failedChecks.map((c) => `  failed: ${c}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
