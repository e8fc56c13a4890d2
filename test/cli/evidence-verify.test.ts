/**
 * `standby evidence verify` through the CLI: a failover on the simulated cloud leaves a chain in the
 * state directory; changing, removing or reordering any stored record makes verify exit 2 naming it.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const PLAN = 'test/fixtures/replay/plan.yaml';
const WORLD = 'test/fixtures/replay/world.yaml';

interface PartitionFile {
  partition: string;
  items: Record<string, { value: Record<string, unknown>; version: number }>;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-evidence-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const state = () => join(dir, 'state');

/** The partition file of `orders`' evidence chain, and a function to write it back. */
async function evidenceFile(): Promise<{ file: PartitionFile; save: (f: PartitionFile) => Promise<void> }> {
  const controller = join(state(), 'controller');
  for (const name of await readdir(controller)) {
    const path = join(controller, name);
    const file = JSON.parse(await readFile(path, 'utf8')) as PartitionFile;
    if (file.partition === 'evidence#orders')
      return { file, save: (f) => writeFile(path, JSON.stringify(f)) };
  }
  throw new Error('no evidence partition');
}

const key = (seq: number) => `record#${String(seq).padStart(12, '0')}`;

describe('standby evidence verify', () => {
  beforeEach(async () => {
    const run = await runCli([
      'failover',
      '--plan',
      PLAN,
      '--world',
      WORLD,
      '--state',
      state(),
      '--app',
      'orders',
    ]);
    expect(run.code).toBe(0);
  });

  it('recomputes the chain a failover left and finds it intact', async () => {
    const run = await runCli(['evidence', 'verify', '--state', state()]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^ok {6}orders: 4 record\(s\), chain intact\n$/);
  });

  it.each([
    [
      'a record is changed',
      (f: PartitionFile) => {
        (f.items[key(2)]!.value['data'] as Record<string, unknown>)['reason'] = 'all fine';
      },
      'evidence record 2 was changed: its content does not match its hash',
    ],
    [
      'a record is removed',
      (f: PartitionFile) => {
        delete f.items[key(3)];
      },
      'evidence record 3 was removed: the chain goes from 2 to 4',
    ],
    [
      'the newest record is removed',
      (f: PartitionFile) => {
        delete f.items[key(4)];
      },
      'evidence record 4 was removed: the head names record 4, the chain ends at 3',
    ],
    [
      'two records are reordered',
      (f: PartitionFile) => {
        const second = f.items[key(2)]!;
        f.items[key(2)] = f.items[key(3)]!;
        f.items[key(3)] = second;
      },
      'evidence record 2 was reordered: position 2 holds record 3',
    ],
  ])('exits 2 naming the record when %s', async (_case, tamper, message) => {
    const { file, save } = await evidenceFile();
    tamper(file);
    await save(file);
    const run = await runCli(['evidence', 'verify', '--app', 'orders', '--state', state()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe(`BROKEN  orders: ${message}\n`);
  });

  it('exits 2 when the application asked for has no evidence', async () => {
    const run = await runCli(['evidence', 'verify', '--app', 'payroll', '--state', state()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('payroll has no evidence records');
  });
});
