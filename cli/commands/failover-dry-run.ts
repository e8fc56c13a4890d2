/**
 * `standby failover --dry-run`: the run's own decision stopped before any write — the gates with their
 * verdicts, the steps in dependency order (each probe named by the URL it checks), and an RTO
 * estimate from the restores the state has seen before.
 */
import { estimatePlanRto } from '#shared/application/estimate-rto.ts';
import { previewFailover } from '#shared/application/request-failover.ts';
import { formatAge, formatDuration } from '#shared/domain/duration.ts';
import { type FailoverTrigger, type GateOverride, stepName } from '#shared/domain/failover.ts';
import { type RecoveryPlan, restoreWaves } from '#shared/domain/plan.ts';
import type { RtoEstimate } from '#shared/domain/rto-estimate.ts';
import { probeLabel } from '#shared/domain/step-kinds.ts';
import type { Engine } from '../engine.ts';
import { ExitCode } from '../errors.ts';
import type { CliIo } from '../io.ts';

/** What a dry run looks at. */
export interface DryRunInput {
  readonly plan: RecoveryPlan;
  /** The whole plan set: restores of every application count for the estimate. */
  readonly plans: readonly RecoveryPlan[];
  readonly engine: Engine;
  readonly trigger: FailoverTrigger;
  readonly override?: Pick<GateOverride, 'by' | 'reason'> & { readonly accept: GateOverride['accepted'] };
  readonly json: boolean;
}

/**
 * 1. Decide as the run would (the same code), stopped before any write or effect.
 * 2. List the steps: restore waves with the recovery point each would use, probes, the switch.
 * 3. Estimate the RTO from the restores seen before (or the world's defaults), saying the basis.
 * 4. Print; exit 2 when the run would not start a failover.
 */
export async function failoverDryRun(input: DryRunInput, io: CliIo): Promise<number> {
  const { plan, engine } = input;
  const { before, verdict } = await previewFailover(engine.controller, plan, input.trigger, input.override);
  const { gates, recoveryPoints } = verdict;
  const steps = [
    ...restoreWaves(plan.resources).flatMap((wave, i) =>
      wave.map((r) => ({ wave: i + 1, step: `restore:${r.name}`, from: recoveryPoints[r.name] ?? null })),
    ),
    ...plan.validate.map((p, i) => ({
      step: stepName.probe(i),
      label: probeLabel(p.url),
      probe: `GET ${p.url} expect ${p.expectStatus}`,
      expectStatus: p.expectStatus,
    })),
    {
      step: 'switch',
      routing: plan.routing ? `${plan.routing.kind} → ${plan.recovery.region}` : 'none (no routing block)',
    },
  ];
  const rtoEstimate = await estimatePlanRto(
    plan,
    input.plans,
    engine.controller.store,
    engine.restoreDefault,
  );
  const refused = gates.some((g) => !g.passed);
  const would = before ?? {
    effect: refused
      ? 'refused'
      : plan.failover.mode === 'approval'
        ? 'approval-requested'
        : 'failover-started',
    reason: verdict.refusal ?? 'every gate passes',
  };
  if (input.json)
    io.stdout.write(
      `${JSON.stringify({ app: plan.name, mode: plan.failover.mode, would, gates, steps, rtoEstimate }, null, 2)}\n`,
    );
  else if (before)
    io.stdout.write(
      `Failover of ${plan.name} (dry run: nothing is changed)\n\nWould be ${before.effect}: ${before.reason}\n`,
    );
  else {
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
            ? `          ${s.label.padEnd(28)}  expect ${s.expectStatus}\n`
            : `          ${s.step.padEnd(28)} ${s.routing}\n`,
      );
    io.stdout.write(renderEstimate(rtoEstimate));
    if (plan.failover.mode === 'approval')
      io.stdout.write('\nMode approval: the failover waits for a human to approve it first.\n');
  }
  return refused || before ? ExitCode.ProblemFound : ExitCode.Ok;
}

/** The estimate for people: the total against the RTO, then each resource with its basis. */
function renderEstimate(e: RtoEstimate): string {
  const target = `RTO ${formatDuration(e.rtoSeconds)}`;
  const head =
    e.seconds === null
      ? `RTO estimate: unknown (${target}): a resource below has nothing to go on`
      : `RTO estimate: ${formatAge(e.seconds)}, ${e.withinRto ? 'within' : 'OVER'} the ${target}`;
  const rows = e.resources.map(
    (r) =>
      `  wave ${r.wave}  ${r.resource.padEnd(28)} ${(r.seconds === null ? '?' : formatAge(r.seconds)).padEnd(9)} ${r.detail}\n`,
  );
  return `\n${head} (${e.basis})\n${rows.join('')}`;
}
