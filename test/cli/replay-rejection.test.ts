/**
 * Issue OPERATOR point 7 (robustness): an EventBridge event Standby cannot use is rejected with every
 * one of its problems, located, in one reason — not the first problem and "(and N more)".
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-rejection-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('standby replay of an event Standby cannot use', () => {
  it('rejects an unknown EventBridge event naming its source and every missing or invalid field', async () => {
    const event = join(dir, 'order-placed.json');
    await writeFile(
      event,
      JSON.stringify({
        'detail-type': 'Order Placed',
        source: 'com.example.shop',
        time: 'yesterday',
        detail: 3,
      }),
    );
    const run = await runCli([
      'replay',
      '--plan',
      'test/fixtures/replay/plan.yaml',
      '--world',
      'test/fixtures/replay/world.yaml',
      '--state',
      join(dir, 'state'),
      '--json',
      event,
    ]);
    expect(run.code).toBe(0);
    const { outcomes } = JSON.parse(run.stdout) as {
      outcomes: { accepted: boolean; effect: string; reason: string }[];
    };
    expect(outcomes[0]).toMatchObject({ accepted: false, effect: 'rejected' });
    const reason = outcomes[0]!.reason;
    expect(reason).toContain('4 problems');
    for (const located of [
      'id: missing (expected a string)',
      'detail: expected an object (received 3)',
      'time: not a timestamp (received "yesterday")',
      'source: "com.example.shop" is not a source Standby acts on from EventBridge',
    ])
      expect(reason).toContain(located);
  });
});
