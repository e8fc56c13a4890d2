/**
 * Issue OPERATOR point 8: after a simulated failover every resource used to turn `breach` — simulated
 * time moved and no backup was ever taken again. The world now keeps taking backups on the schedules
 * of its `backups[]` as its clock moves (restores, replayed events, `advance`); a resource without a
 * schedule ages, as one whose backups stopped does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLES, runCli } from './run-cli.ts';

interface Status {
  apps: {
    name: string;
    failover: { phase: string } | null;
    freshness: { resource: string; status: string; ageSeconds: number }[];
  }[];
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-schedules-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const statusOf = (apps: Status['apps'], name: string) =>
  Object.fromEntries(apps.find((a) => a.name === name)!.freshness.map((f) => [f.resource, f.status]));

describe('backups the simulated world keeps taking', () => {
  it('keeps scheduled resources fresh through a failover and two hours of simulated time; unscheduled ones age', async () => {
    const state = ['--state', join(dir, 'state')];
    const replay = await runCli([
      'replay',
      ...EXAMPLES,
      ...state,
      '--json',
      'examples/events/case-api-health-alarm.json',
    ]);
    expect(replay.code).toBe(0);
    const after = (JSON.parse(replay.stdout) as { status: Status }).status.apps;
    expect(after.find((a) => a.name === 'case-management')!.failover!.phase).toBe('completed');
    expect(Object.values(statusOf(after, 'case-management'))).not.toContain('breach');

    const advance = await runCli(['advance', '--by', '2h', ...EXAMPLES, ...state, '--json']);
    const later = (JSON.parse(advance.stdout) as { status: Status }).status.apps;
    expect(statusOf(later, 'case-management')).toEqual({
      'case-db': expect.stringMatching(/^(ok|warning)$/),
      'case-files': 'ok',
      'case-sessions': 'ok',
      'case-documents': 'ok',
      'case-cluster': 'ok',
    });
    expect(statusOf(later, 'payments')).toMatchObject({
      'payments-ledger': 'ok',
      'settlement-batch': 'breach',
    });
    const settlement = later
      .find((a) => a.name === 'payments')!
      .freshness.find((f) => f.resource === 'settlement-batch')!;
    expect(settlement.ageSeconds).toBe(5 * 3600 + 30 * 60);
  });
});
