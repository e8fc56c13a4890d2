/**
 * Acceptance of a cluster restore through the CLI: the payments plan (its Aurora cluster alone, mode
 * automatic) on the example world. AWS Backup restores the cluster without instances, so the failover
 * must create the plan's instances in it and wait for them before validating and switching traffic;
 * every StartRestoreJob is preceded by GetRecoveryPointRestoreMetadata for its point.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

interface Step {
  name: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
}
interface Result {
  status: { apps: { name: string; failover: { phase: string; steps: Step[] } | null }[] };
  stats: { calls: Record<string, number> };
}

let dir: string;
let plan: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-aurora-'));
  const text = await readFile('examples/plans/payments.yaml', 'utf8');
  const ledger = text.indexOf('    - name: payments-ledger');
  const validate = text.indexOf('  validate:');
  const failover = text.indexOf('  failover:');
  const resources = text.indexOf('  resources:');
  expect([ledger, validate, failover, resources].every((i) => i > 0)).toBe(true);
  plan = join(dir, 'payments.yaml');
  await writeFile(
    plan,
    text.slice(0, failover) +
      '  failover:\n    mode: automatic\n    requireFreshBackups: false\n' +
      text.slice(resources, ledger) +
      text.slice(validate),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('failover of an Aurora cluster', () => {
  it('creates the cluster instances before validating, and reads the restore metadata before starting', async () => {
    const run = await runCli([
      'replay',
      '--plan',
      plan,
      '--world',
      'examples/world.yaml',
      '--state',
      join(dir, 'state'),
      '--json',
      '--stats',
      'examples/events/payments-api-5xx-alarm.json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    const failover = result.status.apps[0]!.failover!;
    expect(failover.phase).toBe('completed');
    const calls = result.stats.calls;
    expect(calls['backup:GetRecoveryPointRestoreMetadata']).toBe(calls['backup:StartRestoreJob']);
    expect(calls['backup:StartRestoreJob']).toBe(1);
    expect(calls['rds:CreateDBInstance']).toBe(2);
    expect(calls['rds:DescribeDBInstances']).toBeGreaterThanOrEqual(2);

    const { world } = JSON.parse(await readFile(join(dir, 'state', 'world.json'), 'utf8')) as {
      world: { aws: { dbInstances: Record<string, unknown>[] } };
    };
    expect(
      world.aws.dbInstances.map((i) => [
        i['DBInstanceIdentifier'],
        i['DBClusterIdentifier'],
        i['DBInstanceClass'],
        i['Engine'],
      ]),
    ).toEqual([
      ['payments-aurora-dr-1', 'payments-aurora-dr', 'db.r6g.large', 'aurora-postgresql'],
      ['payments-aurora-dr-2', 'payments-aurora-dr', 'db.r6g.large', 'aurora-postgresql'],
    ]);
    // The restore step ends when the instances are available (created + 300 s), before validation starts.
    const restore = failover.steps.find((s) => s.name === 'restore:payments-db')!;
    const validate = failover.steps.find((s) => s.name.startsWith('validate'))!;
    const createdAt = Number(world.aws.dbInstances[0]!['InstanceCreateTime']) * 1000;
    expect(Date.parse(restore.endedAt!)).toBeGreaterThanOrEqual(createdAt + 300_000);
    expect(Date.parse(validate.startedAt!)).toBeGreaterThanOrEqual(Date.parse(restore.endedAt!));
  });
});
