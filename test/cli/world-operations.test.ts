/**
 * Issue OPERATOR point 7: a world file's `faults[].api` must name an operation the simulated cloud
 * serves — a misspelt one used to be accepted and never fire. The registry (sim/operations.ts) is
 * checked against what commands really call: every operation `--stats` counts is in it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulatedOperations } from '#sim/operations.ts';
import { EXAMPLES, runCli } from './run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-operations-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('faults[].api of a world file', () => {
  it('refuses an operation the simulated cloud does not serve, located, with the nearest names', async () => {
    const world = join(dir, 'world.yaml');
    const text = await readFile('examples/world.yaml', 'utf8');
    await writeFile(
      world,
      `${text}\nfaults:\n  - { api: "backup:StartRestorJob", error: ThrottlingException }\n`,
    );
    const line = text.split('\n').length + 2;
    const run = await runCli(['audit', '--plan', 'examples/plans', '--world', world]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(`${world}:${line}:`);
    expect(run.stderr).toContain(
      'faults[0].api: "backup:StartRestorJob" is not an operation the simulated cloud serves; nearest: backup:StartRestoreJob',
    );
  });

  it('lists every operation a command calls: each one --stats counts is registered', async () => {
    const runs = [
      await runCli(['audit', ...EXAMPLES, '--json', '--stats']),
      await runCli([
        'drill',
        ...EXAMPLES,
        '--state',
        join(dir, 'state'),
        '--app',
        'case-management',
        '--json',
        '--stats',
      ]),
    ];
    const counted = runs.flatMap((run) =>
      Object.keys((JSON.parse(run.stdout) as { stats: { calls: Record<string, number> } }).stats.calls),
    );
    expect(counted.length).toBeGreaterThan(5);
    expect(counted.filter((api) => !simulatedOperations().has(api))).toEqual([]);
  });
});
