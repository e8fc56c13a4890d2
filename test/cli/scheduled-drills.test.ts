/**
 * `standby advance --by` moves simulated time as the deployed tick does (issue DRILL): a drill whose
 * `spec.drill.schedule` fires inside the window runs at its firing, and what it kept for inspection
 * (`keep: true`, `keepFor`) is deleted when it expires.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let dir: string;
let args: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-scheduled-drills-'));
  await cp('examples/plans', join(dir, 'plans'), { recursive: true });
  const file = join(dir, 'plans', 'case-management.yaml');
  const text = await readFile(file, 'utf8');
  await writeFile(
    file,
    text.replace(
      '  drill:\n    schedule: rate(7 days)\n    keep: false',
      '  drill:\n    schedule: rate(1 day)\n    keep: true\n    keepFor: 6h',
    ),
  );
  args = ['--plan', join(dir, 'plans'), '--world', 'examples/world.yaml', '--state', join(dir, 'state')];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Evidence {
  apps: {
    app: string;
    drills: {
      drillId: string;
      startedAt: string;
      outcome: string;
      keptUntil?: string;
      leftBehind: string[];
      cleanup?: { at: string; deleted: string[]; leftBehind: unknown[] };
    }[];
  }[];
}

const drillsOf = async () => {
  const run = await runCli(['evidence', '--format', 'json', ...args, '--app', 'case-management']);
  expect(run.code).not.toBe(1); // 2: the invariant sentence cannot be completed (yet)
  return (JSON.parse(run.stdout) as Evidence).apps[0]!.drills;
};

describe('scheduled drills under standby advance', () => {
  it('arms the schedule, runs the drill at its firing, keeps what it restored for keepFor, then deletes it', async () => {
    const first = await runCli(['advance', '--by', '23h', ...args]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(await drillsOf()).toEqual([]);

    const second = await runCli(['advance', '--by', '2h', ...args]);
    expect(second.code).toBe(0);
    const [ran] = await drillsOf();
    // Armed at the first advance (12:00), the drill ran at the firing a day later and took 30m.
    expect(ran).toMatchObject({
      startedAt: '2026-11-22T12:00:00.000Z',
      outcome: 'completed',
      keptUntil: '2026-11-22T18:30:00.000Z',
    });
    expect(ran!.leftBehind).toHaveLength(5);
    expect(ran!.cleanup).toBeUndefined();

    const third = await runCli(['advance', '--by', '6h', ...args]);
    expect(third.code).toBe(0);
    const [kept] = await drillsOf();
    expect(kept!.cleanup).toMatchObject({ at: '2026-11-22T18:30:00.000Z', leftBehind: [] });
    expect([...kept!.cleanup!.deleted].sort()).toEqual([...kept!.leftBehind].sort());
  });
});
