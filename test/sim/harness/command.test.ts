import { describe, expect, it } from 'vitest';
import { simCommand } from '#sim/harness/command.ts';
import type { SeedResult } from '#sim/harness/run-seed.ts';
import type { Family } from '#sim/harness/world.ts';

/** A runner whose seed 7 breaks an invariant and every other seed passes. */
const fakeRun = async (seed: number, family: Family = 'standard'): Promise<SeedResult> => ({
  seed,
  cloud: 'fake-aws',
  family,
  steps: 10,
  failovers: 1,
  jobs: 2,
  trace: [`[0] +0s world: seed ${seed}`, '[1] +0s t1 A:alarm-eb app-1#0: store.get app#app-1/current'],
  violation:
    seed === 7 ? { invariant: 'own-job', detail: 'step r1 is succeeded without a job', step: 1 } : undefined,
});

async function sim(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let t = 0;
  const code = await simCommand(
    argv,
    { out: (l) => out.push(l), err: (l) => err.push(l), elapsed: () => (t += 500) },
    fakeRun,
  );
  return { code, out, err };
}

describe('npm run sim', () => {
  it('runs N seeds from 1 and ends with the count of violations', async () => {
    const { code, out, err } = await sim('--seeds', '5');
    expect(code).toBe(0);
    expect(out).toEqual(['5 seeds, 0 violations']);
    expect(err).toEqual(['10.0 seeds/s']);
  });

  it('prints a failing seed with the command that replays it and its trace, and exits 1', async () => {
    const { code, out } = await sim('--seeds', '3', '--from', '6');
    expect(code).toBe(1);
    expect(out).toEqual([
      'seed 7 (fake-aws): VIOLATION own-job at step 1: step r1 is succeeded without a job',
      '  replay: npm run sim -- --seed 7',
      '  [0] +0s world: seed 7',
      '  [1] +0s t1 A:alarm-eb app-1#0: store.get app#app-1/current',
      '3 seeds, 1 violations',
    ]);
  });

  it('runs a family, and its replay line names it', async () => {
    const { code, out } = await sim('--seed', '7', '--family', 'fence-blind');
    expect(code).toBe(1);
    expect(out[1]).toBe('  replay: npm run sim -- --seed 7 --family fence-blind');
  });

  it('replays one seed, with its whole trace under --verbose even when it passes', async () => {
    const { code, out } = await sim('--seed', '4', '--verbose');
    expect(code).toBe(0);
    expect(out).toEqual([
      '  [0] +0s world: seed 4',
      '  [1] +0s t1 A:alarm-eb app-1#0: store.get app#app-1/current',
      '1 seeds, 0 violations',
    ]);
  });

  it.each([
    { argv: ['--seeds', 'x'], message: '--seeds needs a whole number >= 0, got "x"' },
    { argv: ['--seed'], message: '--seed needs a whole number >= 0, got nothing' },
    {
      argv: ['--fast'],
      message: 'unknown argument "--fast"; expected --seeds N, --from S, --seed S, --family F, --verbose',
    },
    { argv: ['--family', 'lax'], message: '--family needs one of standard, fence-blind, drill, got "lax"' },
  ])('refuses $argv with exit 2 and says why', async ({ argv, message }) => {
    const { code, err } = await sim(...argv);
    expect(code).toBe(2);
    expect(err).toEqual([message]);
  });
});
