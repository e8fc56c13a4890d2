/**
 * The audit at scale, as a user runs it: world and plan files written to disk, then the whole
 * `standby audit --world … --json --stats` command in a child process, timed from spawn to exit, with
 * the child's peak RSS. The quota bound is the time the List* calls alone need at the documented
 * rate ({@link quotaBoundMs}).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  ACCOUNT,
  type AccountShape,
  CLOCK,
  REALISTIC_LIMITS,
  RECOVERY_REGION,
  resourcesOf,
} from './fixtures.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RSS_HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

/** The files of one scale scenario. */
export interface ScaleFiles {
  readonly dir: string;
  readonly world: string;
  readonly plans: string;
  readonly resources: number;
  readonly points: number;
  readonly worldBytes: number;
}

/** Writes a JSON world of `shape` (points one hour apart, the newest 10 minutes old) and plans of `perPlan` resources. */
export async function writeScaleFiles(shape: AccountShape, perPlan: number): Promise<ScaleFiles> {
  const dir = join(
    tmpdir(),
    `standby-bench-${shape.vaults}x${shape.resourcesPerVault}x${shape.pointsPerResource}`,
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'plans'), { recursive: true });
  const resources = resourcesOf(shape);
  const epoch = Date.parse(CLOCK) / 1000;
  // Written by hand, record by record: one JSON.stringify of 100,000 points would hold them all twice.
  const lines: string[] = [];
  for (const r of resources)
    for (let p = 0; p < shape.pointsPerResource; p++)
      lines.push(
        JSON.stringify({
          RecoveryPointArn: `arn:aws:backup:${RECOVERY_REGION}:${ACCOUNT}:recovery-point:${r.name}-${p}`,
          BackupVaultArn: r.vaultArn,
          BackupVaultName: r.vaultArn.split(':').pop(),
          ResourceArn: r.resourceArn,
          ResourceType: 'RDS',
          Status: 'COMPLETED',
          CreationDate: epoch - 600 - p * 3600,
        }),
      );
  const text = `{"clock":"${CLOCK}","limits":${JSON.stringify(REALISTIC_LIMITS)},"aws":{"recoveryPoints":[\n${lines.join(',\n')}\n]}}\n`;
  const world = join(dir, 'world.json');
  await writeFile(world, text);
  for (let i = 0, n = 0; i < resources.length; i += perPlan, n++) {
    const plan = {
      apiVersion: 'standby/v1',
      kind: 'RecoveryPlan',
      metadata: { name: `scale-${String(n).padStart(4, '0')}` },
      spec: {
        objectives: { rpo: '1h', rto: '4h' },
        primary: { cloud: 'aws', region: 'eu-west-1' },
        recovery: { cloud: 'aws', region: RECOVERY_REGION },
        triggers: [{ awsAlarm: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:scale-${n}-health` }],
        failover: { mode: 'automatic' },
        resources: resources.slice(i, i + perPlan).map((r) => ({
          name: r.name,
          awsBackup: { resourceArn: r.resourceArn, vaultArn: r.vaultArn },
        })),
      },
    };
    await writeFile(join(dir, 'plans', `scale-${String(n).padStart(4, '0')}.yaml`), stringify(plan));
  }
  return {
    dir,
    world,
    plans: join(dir, 'plans'),
    resources: resources.length,
    points: resources.length * shape.pointsPerResource,
    worldBytes: Buffer.byteLength(text),
  };
}

/** What one CLI run measured. */
export interface CliRun {
  readonly wallMs: number;
  readonly peakRssBytes: number;
  /** CPU time of the child (user + system): what the run costs whatever else the machine is doing. */
  readonly cpuMs: number;
  readonly exitCode: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly summary: Readonly<Record<string, number>>;
}

/** Runs `standby audit --plan … --world … --json --stats` in a child process. */
export async function runCliAudit(files: ScaleFiles): Promise<CliRun> {
  const rssFile = join(files.dir, `rss-${process.pid}-${Date.now()}.json`);
  const began = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          RSS_HOOK,
          join(ROOT, 'bin/standby.js'),
          'audit',
          '--plan',
          files.plans,
          '--world',
          files.world,
          '--json',
          '--stats',
        ],
        {
          cwd: ROOT,
          env: { ...process.env, STANDBY_BENCH_RSS_FILE: rssFile },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (c) =>
        resolve({
          code: c ?? -1,
          stdout: Buffer.concat(out).toString(),
          stderr: Buffer.concat(err).toString(),
        }),
      );
    },
  );
  const wallMs = performance.now() - began;
  if (code !== 0 && code !== 2) throw new Error(`standby audit exited ${code}: ${stderr.slice(0, 2000)}`);
  const report = JSON.parse(stdout) as {
    summary: Record<string, number>;
    stats?: { calls?: Record<string, number> };
  };
  const rss = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRssBytes: number; cpuMs: number };
  return {
    wallMs,
    peakRssBytes: rss.maxRssBytes,
    cpuMs: rss.cpuMs,
    exitCode: code,
    calls: report.stats?.calls ?? {},
    summary: report.summary,
  };
}

/**
 * The least time `listCalls` List* calls take under a quota of `tps` calls per second: the quota
 * spreads them evenly (the client paces itself so that no one-second window holds more than `tps`),
 * so N calls need N / tps seconds. 100 pages at 20/s: 5.0 s.
 */
export function quotaBoundMs(listCalls: number, tps: number): number {
  return (listCalls / tps) * 1000;
}
