/**
 * The `npm run sim` command: `--seeds N [--from S] | --seed S [--family F] [--verbose]`. Runs seeded worlds against
 * the real engine and prints `N seeds, V violations` last. A failing seed prints the command that
 * replays it and its trace (the interleaving: task, point, fault). Returns the exit code: 1 on any
 * violation, 2 on bad arguments.
 */
import { runSeed, type SeedResult } from './run-seed.ts';
import type { Family } from './world.ts';

/** Where the command writes. */
export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Elapsed time in ms, for the seeds/s figure (never used inside a world). */
  readonly elapsed: () => number;
}

interface Args {
  readonly seeds: number[];
  readonly verbose: boolean;
  readonly family: Family;
}

const FAMILIES: readonly Family[] = ['standard', 'fence-blind', 'drill'];

function parseArgs(argv: readonly string[]): Args {
  let count = 100;
  let from = 1;
  let single: number | undefined;
  let verbose = false;
  let family: Family = 'standard';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const text = argv[++i];
      const n = Number(text);
      if (text === undefined || !Number.isSafeInteger(n) || n < 0)
        throw new Error(
          `${flag} needs a whole number >= 0, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`,
        );
      return n;
    };
    if (flag === '--seeds') count = value();
    else if (flag === '--from') from = value();
    else if (flag === '--seed') single = value();
    else if (flag === '--verbose') verbose = true;
    else if (flag === '--family') {
      const name = argv[++i];
      if (!FAMILIES.includes(name as Family))
        throw new Error(
          `--family needs one of ${FAMILIES.join(', ')}, got ${name === undefined ? 'nothing' : JSON.stringify(name)}`,
        );
      family = name as Family;
    } else
      throw new Error(
        `unknown argument ${JSON.stringify(flag)}; expected --seeds N, --from S, --seed S, --family F, --verbose`,
      );
  }
  const seeds = single !== undefined ? [single] : Array.from({ length: count }, (_, i) => from + i);
  return { seeds, verbose, family };
}

function report(result: SeedResult, verbose: boolean, out: (line: string) => void): void {
  const v = result.violation;
  if (v) {
    out(`seed ${result.seed} (${result.cloud}): VIOLATION ${v.invariant} at step ${v.step}: ${v.detail}`);
    const family = result.family === 'standard' ? '' : ` --family ${result.family}`;
    out(`  replay: npm run sim -- --seed ${result.seed}${family}`);
  }
  if (v || verbose) for (const line of result.trace) out(`  ${line}`);
}

/** Runs the command; `run` is the seed runner (the real one unless a test says otherwise). */
export async function simCommand(
  argv: readonly string[],
  io: CommandIo,
  run: (seed: number, family: Family) => Promise<SeedResult> = runSeed,
): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const started = io.elapsed();
  let violations = 0;
  for (const [i, seed] of args.seeds.entries()) {
    const result = await run(seed, args.family);
    if (result.violation) violations += 1;
    report(result, args.verbose, io.out);
    if ((i + 1) % 100 === 0) io.err(`… ${i + 1}/${args.seeds.length} seeds, ${violations} violations`);
  }
  const seconds = Math.max(io.elapsed() - started, 1) / 1000;
  io.err(`${(args.seeds.length / seconds).toFixed(1)} seeds/s`);
  io.out(`${args.seeds.length} seeds, ${violations} violations`);
  return violations > 0 ? 1 : 0;
}
