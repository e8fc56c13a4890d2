/**
 * Acceptance of `standby validate --preflight` on the examples: each restore that would be refused
 * is named with why, the others say what they would create, RPOs the sources cannot deliver are
 * warned, and the exit code says a problem was found.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '#cli/composition.ts';
import { restoreServices, trafficSwitch } from '#cli/engine.ts';
import { type PreflightReport, runPreflight } from '#cli/preflight.ts';
import { loadPlans } from '#platform/plan-files.ts';
import { SimulatedCloud } from '#sim/cloud.ts';
import { parseWorld } from '#sim/world.ts';
import { runCli } from './run-cli.ts';

const PREFLIGHT = ['validate', 'examples/plans', '--preflight', '--world', 'examples/world.yaml'] as const;

describe('standby validate --preflight', () => {
  it('names each restore of the examples that would be refused, and why; exit 2', async () => {
    const run = await runCli([...PREFLIGHT, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as PreflightReport;
    const refused = report.apps.flatMap((a) =>
      a.resources.filter((r) => !r.restorable).map((r) => [`${a.name}/${r.resource}`, r.reason]),
    );
    expect(refused).toEqual([
      [
        'citizen-portal/portal-web-vm',
        expect.stringMatching(
          /^no recovery point to restore: no restorable recovery point in region northeurope/,
        ),
      ],
      [
        'payments/settlement-batch',
        "would be refused: SecurityGroupIds is required and the recovery point's value names the source region; set it in awsBackup.restore.metadata",
      ],
    ]);
    expect(report.apps.every((a) => a.problems.length === 0)).toBe(true);
  });

  it('shows the exact request a failover would send: the point, the merged metadata, the target, the instances', async () => {
    const report = JSON.parse((await runCli([...PREFLIGHT, '--json'])).stdout) as PreflightReport;
    const files = report.apps[0]!.resources.find((r) => r.resource === 'case-files')!;
    expect(files).toMatchObject({
      restorable: true,
      recoveryPoint:
        'arn:aws:backup:eu-central-1:111122223333:recovery-point:3e8f1a2b-4c5d-4e6f-a7b8-c9d0e1f2a3b4',
      targetName: 'case-files-dr',
      request: {
        ResourceType: 'EFS',
        // file-system-id from the point; the point's eu-west-1 KMS key left out; the plan's values over the rest.
        Metadata: {
          'file-system-id': 'fs-0a1b2c3d4e5f60718',
          Encrypted: 'true',
          PerformanceMode: 'generalPurpose',
          newFileSystem: 'true',
          CreationToken: 'case-files-dr',
        },
      },
    });
    const aurora = report.apps[2]!.resources.find((r) => r.resource === 'payments-db')!;
    expect(aurora.reason).toBe(
      'restores → payments-aurora-dr, then 2 × db.r6g.large instance(s) in the cluster',
    );
  });

  it('warns of RPOs below what cross-region copies can deliver, citing the limit', async () => {
    const run = await runCli([...PREFLIGHT]);
    expect(run.stdout).toMatch(
      /case-db +restorable +restores → case-db-dr\n +warning +RPO 5m is below what the source can deliver in eu-central-1: 1h \(AWS Backup backs up at most hourly/,
    );
    expect(run.stdout).toMatch(
      /11 restore\(s\) checked at 2026-11-21T12:00:00.000Z: 9 restorable, 2 would be refused\n$/,
    );
  });

  it('prepares without starting anything: reads only, the world unchanged', async () => {
    const cloud = new SimulatedCloud(
      parseWorld('examples/world.yaml', readFileSync('examples/world.yaml', 'utf8')),
    );
    const before = JSON.stringify(cloud.world);
    const plans = (await loadPlans(['examples/plans'])).map((p) => p.plan);
    const runtime = await createRuntime({ cloud });

    await runPreflight(plans, {
      ...runtime,
      restores: restoreServices(cloud),
      traffic: trafficSwitch(cloud),
    });

    expect(JSON.stringify(cloud.world)).toBe(before);
    const calls = Object.keys(cloud.stats());
    expect(calls.filter((c) => /Start|Trigger|Create|Change|Update|Publish/.test(c))).toEqual([]);
    expect(cloud.stats()['backup:GetRecoveryPointRestoreMetadata']).toBe(8);
  });

  it('refuses a restore whose target name is taken in the recovery region', async () => {
    const cloud = new SimulatedCloud(
      parseWorld('examples/world.yaml', readFileSync('examples/world.yaml', 'utf8')),
    );
    cloud.world.aws.dbInstances.push({
      DBInstanceIdentifier: 'case-db-dr',
      DBInstanceArn: 'arn:aws:rds:eu-central-1:111122223333:db:case-db-dr',
      DBInstanceStatus: 'available',
    });
    const plans = (await loadPlans(['examples/plans/case-management.yaml'])).map((p) => p.plan);
    const runtime = await createRuntime({ cloud });

    const report = await runPreflight(plans, {
      ...runtime,
      restores: restoreServices(cloud),
      traffic: trafficSwitch(cloud),
    });

    expect(report.apps[0]!.resources.find((r) => r.resource === 'case-db')).toMatchObject({
      restorable: false,
      reason:
        'would be refused: a DB instance named "case-db-dr" already exists in eu-central-1; the restore cannot create it (name another, or remove it)',
    });
  });

  it('refuses --world without --preflight: validate alone reads no cloud', async () => {
    const run = await runCli(['validate', 'examples/plans', '--world', 'examples/world.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--world goes with --preflight');
  });

  it('validate --json prints the plans, or every problem located, as one document', async () => {
    const ok = await runCli(['validate', 'examples/plans', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({
      valid: true,
      plans: [
        { name: 'case-management', owner: 'platform-team' },
        { name: 'citizen-portal' },
        { name: 'payments' },
      ],
    });
    const bad = await runCli(['validate', 'examples/world.yaml', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      valid: false,
      problems: [
        { file: 'examples/world.yaml', path: '', message: expect.stringContaining('this is a world file') },
      ],
    });
  });
});

describe('standby audit --preflight', () => {
  const AUDIT = [
    'audit',
    '--plan',
    'examples/plans',
    '--world',
    'examples/world.yaml',
    '--preflight',
  ] as const;

  it("adds each resource's verdict to the JSON rows, with the reason when it is not restorable", async () => {
    const run = await runCli([...AUDIT, '--json']);
    const doc = JSON.parse(run.stdout) as {
      apps: {
        name: string;
        freshness: { resource: string; restorable: { ok: boolean; reason: string } }[];
      }[];
    };
    const rows = doc.apps.flatMap((a) => a.freshness.map((f) => [f.resource, f.restorable.ok]));
    expect(rows.filter(([, ok]) => !ok).map(([name]) => name)).toEqual(['portal-web-vm', 'settlement-batch']);
    expect(doc.apps[2]!.freshness[2]!.restorable.reason).toMatch(
      /^would be refused: SecurityGroupIds is required/,
    );
  });

  it('shows a RESTORABLE column in the table and in Markdown', async () => {
    const table = await runCli([...AUDIT]);
    expect(table.stdout).toMatch(/ {2}RESOURCE .* REASON +RESTORABLE\n/);
    expect(table.stdout).toMatch(/settlement-batch .* no: would be refused: SecurityGroupIds is required/);
    const markdown = await runCli([...AUDIT, '--format', 'markdown']);
    expect(markdown.stdout).toContain(
      '| Resource | Status | Age | RPO | Recovery point | Reason | Restorable |',
    );
  });
});
