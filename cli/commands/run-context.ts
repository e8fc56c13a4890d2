/** Loading shared by the commands that read plans and a cloud: plans, world and progress display. */

import { loadPlans } from '#platform/plan-files.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import type { CliRuntime } from '../composition.ts';
import { type DeployedFlags, namesDeployed } from '../deployed-engine-flags.ts';
import type { Engine } from '../engine.ts';
import type { CliIo } from '../io.ts';
import { PROGRESS_THRESHOLD, ProgressLine } from '../progress.ts';

/** Plans and runtime of one command, with the progress line to close when the reading is done. */
export interface RunContext {
  readonly plans: readonly RecoveryPlan[];
  readonly runtime: CliRuntime;
  readonly progress?: ProgressLine;
}

/**
 * Loads the plans and the world together, so a user with a bad plan and a bad world hears about
 * both at once; either failing means nothing else is done. The cloud SDKs load only here, so
 * `validate` and `--help` stay fast.
 */
export async function openRun(
  options: { readonly plan: readonly string[]; readonly world?: string },
  io: CliIo,
): Promise<RunContext> {
  let progress: ProgressLine | undefined;
  const [plans, runtime] = await Promise.allSettled([
    loadPlans(options.plan),
    import('../composition.ts').then(({ createRuntime }) =>
      createRuntime({
        ...(options.world !== undefined ? { worldPath: options.world } : {}),
        onObserved: (n) => progress?.advance(n),
      }),
    ),
  ]);
  if (plans.status === 'rejected' && runtime.status === 'rejected')
    throw new AggregateError([plans.reason, runtime.reason]);
  if (plans.status === 'rejected') throw plans.reason;
  if (runtime.status === 'rejected') throw runtime.reason;
  const checked = plans.value.map((p) => p.plan);
  const total = checked.reduce((n, p) => n + p.resources.length, 0);
  if (total >= PROGRESS_THRESHOLD && io.isTTY?.stderr === true) {
    progress = new ProgressLine(io.stderr, total);
    progress.start();
  }
  return { plans: checked, runtime: runtime.value, ...(progress ? { progress } : {}) };
}

/** Plans and the failover engine of one command. */
export interface EngineRun {
  readonly plans: readonly RecoveryPlan[];
  readonly engine: Engine;
}

/** Loads plans and opens the engine (state dir, simulated cloud); both problems are reported at once. */
export async function openEngineRun(options: {
  readonly plan: readonly string[];
  readonly world?: string;
  readonly state: string;
  /** A deployed controller (its table and key) instead of the state directory. */
  readonly deployed?: DeployedFlags;
  /** Where notifications' approval links point (`standby serve`). */
  readonly approvalBaseUrl?: string;
}): Promise<EngineRun> {
  const { deployed } = options;
  const [plans, engine] = await Promise.allSettled([
    loadPlans(options.plan),
    deployed && namesDeployed(deployed)
      ? import('../deployed-engine.ts').then(async (d) =>
          d.openDeployedEngine(await d.resolveDeployedTarget(deployed)),
        )
      : import('../engine.ts').then(({ openEngine }) =>
          openEngine({
            stateDir: options.state,
            ...(options.world !== undefined ? { worldPath: options.world } : {}),
            ...(options.approvalBaseUrl !== undefined ? { approvalBaseUrl: options.approvalBaseUrl } : {}),
          }),
        ),
  ]);
  if (plans.status === 'rejected' && engine.status === 'rejected')
    throw new AggregateError([plans.reason, engine.reason]);
  if (plans.status === 'rejected') throw plans.reason;
  if (engine.status === 'rejected') throw engine.reason;
  return { plans: plans.value.map((p) => p.plan), engine: engine.value };
}
