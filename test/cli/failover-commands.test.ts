/**
 * Acceptance of the failover engine through the CLI (issue ENGINE): replay, status, approve/reject
 * and failover against the simulated cloud, with state kept between commands in a temp directory.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const SHARED = resolve(import.meta.dirname, '../fixtures/aws');
const ALARM = join(SHARED, 'cloudwatch-alarm-state-change-alarm.json');
const OK = join(SHARED, 'cloudwatch-alarm-state-change-ok.json');
const BACKUP_FAILED = join(SHARED, 'backup-job-state-change-failed.json');
const COPY_DONE = join(SHARED, 'copy-job-state-change-completed.json');
const PLAN = 'test/fixtures/replay/plan.yaml';
const WORLD = 'test/fixtures/replay/world.yaml';

interface Step {
  name: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
}
interface Replay {
  outcomes: { event: string; effect: string; app: string | null; reason: string }[];
  status: {
    apps: {
      name: string;
      activeSite: string;
      failover: { phase: string; reason: string | null; steps: Step[] } | null;
      notifications: { kind: string; channel: string; approveToken?: string; rejectToken?: string }[];
    }[];
  };
  stats?: { calls: Record<string, number> };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-engine-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `standby <command>` against this file's plan, world and temp state, with `extra` flags. */
const engine = (command: string, ...extra: string[]) =>
  runCli([command, '--plan', PLAN, '--world', WORLD, '--state', join(dir, 'state'), ...extra]);

async function replay(events: string[], plan = PLAN, world = WORLD): Promise<Replay> {
  const run = await runCli([
    'replay',
    '--plan',
    plan,
    '--world',
    world,
    '--state',
    join(dir, 'state'),
    '--json',
    '--stats',
    ...events,
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Replay;
}

/** The plan with one change, written to the temp dir. */
async function planWith(change: (text: string) => string): Promise<string> {
  const path = join(dir, 'plan.yaml');
  await writeFile(path, change(await readFile(PLAN, 'utf8')));
  return path;
}

/** The plan in mode approval, asking the given notify targets (YAML flow items), with a 30m timeout. */
const approvalPlan = (notify: string) =>
  planWith((t) =>
    t.replace(
      'mode: automatic',
      `mode: approval\n    approval:\n      notify: [${notify}]\n      timeout: 30m`,
    ),
  );

async function worldWith(change: (text: string) => string): Promise<string> {
  const path = join(dir, 'world.yaml');
  await writeFile(path, change(await readFile(WORLD, 'utf8')));
  return path;
}

const weights = async () => {
  const snapshot = JSON.parse(await readFile(join(dir, 'state', 'world.json'), 'utf8')) as {
    world: { aws: { route53: { resourceRecordSets: { SetIdentifier: string; Weight: number }[] } } };
  };
  return Object.fromEntries(
    snapshot.world.aws.route53.resourceRecordSets.map((r) => [r.SetIdentifier, r.Weight]),
  );
};

describe('standby replay', () => {
  it('carries the recorded alarm to completed: each restore once, in dependency order, traffic on the recovery site', async () => {
    const result = await replay([ALARM]);
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        event: 'cloudwatch-alarm-state-change-alarm.json',
        effect: 'failover-started',
        app: 'orders',
      }),
    ]);
    const app = result.status.apps[0]!;
    expect(app.failover?.phase).toBe('completed');
    expect(app.activeSite).toBe('recovery');
    expect(result.stats?.calls['backup:StartRestoreJob']).toBe(3);
    const step = (name: string) => app.failover!.steps.find((s) => s.name === `restore:${name}`)!;
    expect(Date.parse(step('orders-files').startedAt!)).toBeGreaterThanOrEqual(
      Date.parse(step('orders-db').endedAt!),
    );
    expect(Date.parse(step('orders-app').startedAt!)).toBeGreaterThanOrEqual(
      Date.parse(step('orders-files').endedAt!),
    );
    expect(await weights()).toEqual({ primary: 0, recovery: 100 });
  });

  it('gives one failover and one StartRestoreJob per resource however the alarm is redelivered and interleaved', async () => {
    const first = await replay([ALARM, ALARM, OK, BACKUP_FAILED, ALARM, COPY_DONE, OK, ALARM]);
    expect(first.outcomes.filter((o) => o.effect === 'failover-started')).toHaveLength(1);
    expect(first.stats?.calls['backup:StartRestoreJob']).toBe(3);
    // A later command on the same state: the redelivered alarm starts nothing new.
    const again = await replay([ALARM, OK, ALARM]);
    expect(again.outcomes.every((o) => o.effect === 'ignored')).toBe(true);
    expect(again.stats?.calls['backup:StartRestoreJob']).toBeUndefined();
  });

  it('with mode approval ends awaiting-approval with the request in notifications and routing unchanged; approving completes it', async () => {
    const plan = await approvalPlan(
      '{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }, { teams: { webhookUrl: "env:TEAMS_WEBHOOK_URL" } }',
    );
    const result = await replay([ALARM], plan);
    const app = result.status.apps[0]!;
    expect(app.failover?.phase).toBe('awaiting-approval');
    expect(app.notifications).toEqual([
      expect.objectContaining({ channel: 'sns', kind: 'approval-request', delivered: true }),
      expect.objectContaining({ channel: 'teams', kind: 'approval-request', delivered: true }),
    ]);
    expect(result.stats?.calls['sns:Publish']).toBe(1);
    expect(result.stats?.calls['teams:PostMessage']).toBe(1);
    expect(result.stats?.calls['backup:StartRestoreJob']).toBeUndefined();
    expect(await weights()).toEqual({ primary: 100, recovery: 0 });

    const token = app.notifications[0]!.approveToken!;
    // The token comes in on standard input: never in ps or the shell history.
    const approve = await runCli(
      ['approve', '-', '--plan', plan, '--world', WORLD, '--state', join(dir, 'state'), '--json'],
      undefined,
      {},
      `${token}\n`,
    );
    expect(approve.code).toBe(0);
    const approved = JSON.parse(approve.stdout) as { status: Replay['status'] };
    expect(approved.status.apps[0]!.failover?.phase).toBe('completed');
    expect(await weights()).toEqual({ primary: 0, recovery: 100 });

    const reuse = await runCli([
      'approve',
      token,
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      join(dir, 'state'),
    ]);
    expect(reuse.code).toBe(1);
    // The simulated restores outlast the 30m approval window, so the token has expired by now; single
    // use itself is covered by the controller's tests.
    expect(reuse.stderr).toMatch(/^standby: approval token refused: the token expired at \S+Z\n$/);
  });

  it('rejecting aborts the failover with the reason and leaves routing alone', async () => {
    const plan = await approvalPlan('{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }');
    const result = await replay([ALARM], plan);
    const token = result.status.apps[0]!.notifications[0]!.rejectToken!;
    const wrong = await runCli([
      'approve',
      token,
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      join(dir, 'state'),
    ]);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('this is a reject token') });
    const reject = await runCli([
      'reject',
      token,
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      join(dir, 'state'),
      '--json',
    ]);
    expect(reject.code).toBe(0);
    expect(JSON.parse(reject.stdout).status.apps[0].failover).toMatchObject({
      phase: 'aborted',
      reason: expect.stringContaining('rejected by cli:'),
    });
    expect(await weights()).toEqual({ primary: 100, recovery: 0 });
  });

  it('ends failed with routing unchanged and the reason recorded when a restore fails', async () => {
    const world = await worldWith((t) =>
      t.replace(
        'fail: []',
        'fail: ["arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0"]',
      ),
    );
    const result = await replay([ALARM], PLAN, world);
    const failover = result.status.apps[0]!.failover!;
    expect(failover.phase).toBe('failed');
    expect(failover.reason).toMatch(/^restore of orders-files failed/);
    expect(failover.steps.find((s) => s.name === 'restore:orders-app')?.status).toBe('skipped');
    expect(result.status.apps[0]!.activeSite).toBe('primary');
    expect(await weights()).toEqual({ primary: 100, recovery: 0 });
  });

  it('refuses to fail over onto stale backups, recording the reason', async () => {
    const world = await worldWith((t) => t.replace('CreationDate: -4m', 'CreationDate: -2h'));
    const result = await replay([ALARM], PLAN, world);
    expect(result.outcomes[0]).toMatchObject({
      effect: 'refused',
      reason: expect.stringContaining('stale backups (requireFreshBackups): orders-db'),
    });
    expect(result.status.apps[0]!.failover).toMatchObject({ phase: 'aborted' });
    expect(result.stats?.calls['backup:StartRestoreJob']).toBeUndefined();
  });

  it('exits 1 and changes nothing when an event file cannot be read', async () => {
    const run = await engine('replay', ALARM, join(dir, 'nope.json'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nope.json cannot be read');
    await expect(readFile(join(dir, 'state', 'world.json'))).rejects.toThrow();
  });

  it('reports a file that is not JSON as a rejected outcome and goes on', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ not json');
    const result = await replay([bad, ALARM]);
    expect(result.outcomes[0]).toMatchObject({ event: 'bad.json', accepted: false, effect: 'rejected' });
    expect(result.outcomes[1]).toMatchObject({ effect: 'failover-started' });
  });

  it('names the snapshot and the way out when the state directory holds a damaged one', async () => {
    await replay([OK]);
    await writeFile(join(dir, 'state', 'world.json'), '{ "sha256": ');
    const run = await engine('replay', ALARM);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^standby: \S+world\.json is not valid JSON \(.+\); remove \S+state to start over/,
    );
  });

  it('refuses an approval key file too short to sign with, rather than sign forgeable tokens', async () => {
    const plan = await approvalPlan('{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }');
    await mkdir(join(dir, 'state'), { recursive: true });
    await writeFile(join(dir, 'state', 'approval.key'), '\n', { mode: 0o600 });
    const run = await runCli([
      'replay',
      '--plan',
      plan,
      '--world',
      WORLD,
      '--state',
      join(dir, 'state'),
      ALARM,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('approval.key holds 0 bytes of base64; at least 32 are required');
  });

  it('refuses an approval key file that others can read: whoever reads it can sign approvals', async () => {
    const plan = await approvalPlan('{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }');
    const state = join(dir, 'state');
    await mkdir(state, { recursive: true });
    const keyFile = join(state, 'approval.key');
    await writeFile(keyFile, `${Buffer.alloc(32, 1).toString('base64')}\n`);
    await chmod(keyFile, 0o644);
    const run = await runCli(['replay', '--plan', plan, '--world', WORLD, '--state', state, ALARM]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `approval key ${keyFile} can be read by others (mode 644); run chmod 600 ${keyFile}`,
    );
  });

  it('keeps no approval token in controller state: only the simulated inbox (world.json) holds them', async () => {
    const plan = await approvalPlan('{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }');
    const state = join(dir, 'state');
    const run = await runCli(['replay', '--plan', plan, '--world', WORLD, '--state', state, '--json', ALARM]);
    const token = (JSON.parse(run.stdout) as Replay).status.apps[0]!.notifications[0]!.approveToken!;
    expect(token).toMatch(/^sb2\./);
    const files = await readdir(join(state, 'controller'), { recursive: true });
    const texts = await Promise.all(
      files.filter((f) => f.endsWith('.json')).map((f) => readFile(join(state, 'controller', f), 'utf8')),
    );
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toMatch(/sb2\.[\w-]+\.[\w-]{43}/);
    expect(await readFile(join(state, 'world.json'), 'utf8')).toContain(token);
  });

  it('advance --by lets simulated time pass: the approval times out by onTimeout, its token then expired', async () => {
    const plan = await approvalPlan('{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }');
    const state = join(dir, 'state');
    const on = ['--plan', plan, '--world', WORLD, '--state', state];
    const replayed = await runCli(['replay', ...on, '--json', ALARM]);
    const token = (JSON.parse(replayed.stdout) as Replay).status.apps[0]!.notifications[0]!.approveToken!;
    const early = await runCli(['advance', '--by', '10m', ...on, '--json']);
    expect(early.code).toBe(0);
    expect(JSON.parse(early.stdout).status.apps[0].failover.phase).toBe('awaiting-approval');
    const late = await runCli(['advance', '--by', '21m', ...on, '--json']);
    const after = JSON.parse(late.stdout) as {
      moved: string;
      audit: { effect: string };
      status: Replay['status'];
    };
    expect(after.moved).toMatch(/^simulated time moved 21m: /);
    expect(after.audit.effect).toMatch(/^freshness-/);
    expect(after.status.apps[0]!.failover).toMatchObject({
      phase: 'aborted',
      reason: 'approval timed out; onTimeout is abort',
    });
    const used = await runCli(['approve', token, ...on]);
    expect(used).toMatchObject({ code: 1, stderr: expect.stringContaining('the token expired at') });
    const bad = await runCli(['advance', '--by', 'soon', ...on]);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('--by "soon" is not a duration') });
  });

  it('refuses a bogus token without making a state directory or a key', async () => {
    const fresh = join(dir, 'never-made');
    const run = await runCli(['approve', 'bogus', '--plan', PLAN, '--world', WORLD, '--state', fresh]);
    expect(run).toMatchObject({
      code: 1,
      stderr: 'standby: approval token refused: not a Standby approval token\n',
    });
    await expect(stat(fresh)).rejects.toThrow();
  });

  it('refuses simulated state read as real, and real state read as simulated, naming both', async () => {
    await replay([ALARM]);
    const state = join(dir, 'state');
    const real = await runCli(['status', '--plan', PLAN, '--state', state]);
    expect(real.code).toBe(1);
    expect(real.stderr).toContain(
      `${state} holds the simulation of ${WORLD}, and this command runs against the real clouds`,
    );
    const realDir = join(dir, 'real');
    await mkdir(join(realDir, 'controller'), { recursive: true });
    await writeFile(join(realDir, 'controller', 'app%23orders.json'), '{}\n');
    const simulated = await runCli(['status', '--plan', PLAN, '--world', WORLD, '--state', realDir]);
    expect(simulated.code).toBe(1);
    expect(simulated.stderr).toContain(
      `${realDir} holds controller state of the real clouds, and this command simulates ${WORLD}`,
    );
  });

  it('keeps its state owner-only: the state directory 0700, its files 0600', async () => {
    await replay([ALARM]);
    const modes = async (path: string): Promise<string[]> => {
      const entries = await readdir(path, { withFileTypes: true });
      const own = [`${path}: ${((await stat(path)).mode & 0o777).toString(8)}`];
      const nested = await Promise.all(
        entries.map(async (e) =>
          e.isDirectory()
            ? modes(join(path, e.name))
            : [`${join(path, e.name)}: ${((await stat(join(path, e.name))).mode & 0o777).toString(8)}`],
        ),
      );
      return [...own, ...nested.flat()];
    };
    const all = await modes(join(dir, 'state'));
    expect(all.length).toBeGreaterThan(3);
    for (const line of all) expect(line).toMatch(/: (700|600)$/);
  });

  it('refuses a state directory made from another world, changing nothing', async () => {
    await replay([OK]);
    const other = await worldWith((t) => t.replace('durationSeconds: 600', 'durationSeconds: 60'));
    const run = await runCli([
      'replay',
      '--plan',
      PLAN,
      '--world',
      other,
      '--state',
      join(dir, 'state'),
      ALARM,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('holds the simulation of another world');
  });
});

describe('standby failover', () => {
  it('--dry-run lists the gates and the restore waves and changes nothing', async () => {
    const run = await engine('failover', '--app', 'orders', '--dry-run', '--json');
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as {
      gates: { gate: string; passed: boolean }[];
      steps: { step: string; wave?: number }[];
    };
    expect(plan.gates.every((g) => g.passed)).toBe(true);
    expect(plan.steps.filter((s) => s.wave).map((s) => [s.wave, s.step])).toEqual([
      [1, 'restore:orders-db'],
      [2, 'restore:orders-files'],
      [3, 'restore:orders-app'],
    ]);
    await expect(readFile(join(dir, 'state', 'world.json'))).rejects.toThrow();
  });

  it('fails over by hand and completes', async () => {
    const run = await engine('failover', '--app', 'orders', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status.apps[0].failover.phase).toBe('completed');
  });

  it('--dry-run after a completed failover says what the run would say: already on the recovery site', async () => {
    expect((await engine('failover', '--app', 'orders')).code).toBe(0);
    const dry = await engine('failover', '--app', 'orders', '--dry-run', '--json');
    expect(dry.code).toBe(2);
    const preview = JSON.parse(dry.stdout) as { would: { effect: string; reason: string } };
    const run = await engine('failover', '--app', 'orders', '--json');
    const result = (JSON.parse(run.stdout) as { result: { effect: string; reason: string } }).result;
    expect(preview.would).toEqual({ effect: result.effect, reason: result.reason });
    expect(result).toMatchObject({
      effect: 'ignored',
      reason: expect.stringContaining('already runs on the recovery site'),
    });
    const text = await engine('failover', '--app', 'orders', '--dry-run');
    expect(text.stdout).toContain('Would be ignored: orders already runs on the recovery site');
  });

  it('a refused failover tells the notify targets why; a reasoned --accept-stale overrides it, on record', async () => {
    const examples = [
      '--plan',
      'examples/plans',
      '--world',
      'examples/world.yaml',
      '--state',
      join(dir, 'ex'),
    ];
    const refused = await runCli(['failover', '--app', 'payments', ...examples, '--json']);
    expect(refused.code).toBe(2);
    const first = JSON.parse(refused.stdout) as { result: { effect: string }; status: Replay['status'] };
    expect(first.result.effect).toBe('refused');
    const notices = first.status.apps[0]!.notifications;
    expect(notices.map((n) => n.channel)).toEqual(['sns', 'teams']);
    for (const n of notices)
      expect(n).toMatchObject({
        kind: 'failover-refused',
        delivered: true,
        text: expect.stringContaining('--accept-stale'),
      });
    const unreasoned = await runCli(['failover', '--app', 'payments', ...examples, '--accept-stale']);
    expect(unreasoned).toMatchObject({ code: 1, stderr: expect.stringContaining('need --reason') });
    const overridden = await runCli([
      'failover',
      '--app',
      'payments',
      ...examples,
      '--accept-stale',
      '--reason',
      'batch lag accepted by CRO',
      '--json',
    ]);
    const second = JSON.parse(overridden.stdout) as {
      result: { effect: string };
      status: { apps: { failover: { override?: unknown; history: { reason: string }[] } }[] };
    };
    expect(second.result.effect).toBe('approval-requested');
    const failover = second.status.apps[0]!.failover;
    expect(failover.override).toMatchObject({
      accepted: ['fresh-backups'],
      reason: 'batch lag accepted by CRO',
    });
    expect(failover.history[0]!.reason).toContain('gates fresh-backups overridden by cli:');
    // status keeps the whole record: the refused failover is listed before the overriding one.
    const status = await runCli(['status', ...examples, '--json']);
    const app = (
      JSON.parse(status.stdout) as { apps: { name: string; earlierFailovers: { phase: string }[] }[] }
    ).apps.find((a) => a.name === 'payments')!;
    expect(app.earlierFailovers.map((e) => e.phase)).toEqual(['aborted']);
  });

  it('names the known applications when --app is unknown', async () => {
    const run = await engine('failover', '--app', 'nope');
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining('expected one of: orders') });
  });
});
