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

/** A failover of `orders` on the simulated cloud: it leaves a chain of 4 records. */
async function failOverOrders(): Promise<void> {
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
}

const key = (seq: number) => `record#${String(seq).padStart(12, '0')}`;

describe('standby evidence verify', () => {
  beforeEach(failOverOrders);

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

describe('standby evidence export', () => {
  beforeEach(failOverOrders);

  it('writes the chain as standby-evidence/v1 JSON Lines that verify --file finds intact, and never overwrites', async () => {
    const out = join(dir, 'orders.jsonl');
    const run = await runCli(['evidence', 'export', '--app', 'orders', '--state', state(), '--out', out]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: `exported 4 record(s) of orders to ${out}\n` });
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'standby-evidence/v1', app: 'orders', records: 4 });
    expect(await runCli(['evidence', 'verify', '--file', out])).toMatchObject({
      code: 0,
      stdout: 'ok      orders: 4 record(s), chain intact\n',
    });

    const again = await runCli(['evidence', 'export', '--app', 'orders', '--state', state(), '--out', out]);
    expect(again).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('exists; an export is never overwritten'),
    });
  });

  it('finds an exported file tampered with, naming the record', async () => {
    const out = join(dir, 'orders.jsonl');
    await runCli(['evidence', 'export', '--app', 'orders', '--state', state(), '--out', out]);
    const lines = (await readFile(out, 'utf8')).trimEnd().split('\n');
    await writeFile(out, `${[lines[0], lines[1], lines[3], lines[4]].join('\n')}\n`);
    const run = await runCli(['evidence', 'verify', '--file', out]);
    expect(run).toMatchObject({ code: 2, stdout: expect.stringContaining('evidence record 2 was removed') });
  });

  it('does not export a broken chain, naming the record, and writes nothing', async () => {
    const { file, save } = await evidenceFile();
    (file.items[key(3)]!.value['data'] as Record<string, unknown>)['reason'] = 'all fine';
    await save(file);
    const out = join(dir, 'orders.jsonl');
    const run = await runCli(['evidence', 'export', '--app', 'orders', '--state', state(), '--out', out]);
    expect(run).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not exported: orders: evidence record 3 was changed'),
    });
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses a file that is no export, and an application without evidence', async () => {
    const bogus = join(dir, 'bogus.jsonl');
    await writeFile(bogus, '{"hello":"world"}\n');
    expect(await runCli(['evidence', 'verify', '--file', bogus])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('line 1 is not a standby-evidence/v1 header'),
    });
    expect(await runCli(['evidence', 'export', '--app', 'nope', '--state', state()])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('nope has no evidence records'),
    });
  });
});
