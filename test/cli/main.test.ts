import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from './format/xml-parser.ts';
import { EXAMPLES, runCli } from './run-cli.ts';

interface FreshnessJson {
  resource: string;
  status: string;
  ageSeconds: number | null;
  rpoSeconds: number;
  recoveryPoint: string | null;
  lastJob: { id: string; kind: string; state: string; at: string; message?: string } | null;
  reason: string;
  alert: boolean;
}
interface AuditJson {
  generatedAt: string;
  apps: { name: string; freshness: FreshnessJson[] }[];
  summary: Record<string, number>;
  stats?: { calls: Record<string, number> };
}

const byResource = (doc: AuditJson) =>
  Object.fromEntries(doc.apps.flatMap((a) => a.freshness.map((f) => [`${a.name}/${f.resource}`, f])));

describe('standby audit on the example world', () => {
  it('prints one JSON document in the SPEC shape and exits 2 for the breach and the missing point', async () => {
    const run = await runCli(['audit', ...EXAMPLES, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as AuditJson;
    expect(Object.keys(doc)).toEqual(['generatedAt', 'apps', 'summary']);
    expect(doc.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(doc.apps.map((a) => a.name)).toEqual(['case-management', 'citizen-portal', 'payments']);
    for (const f of doc.apps.flatMap((a) => a.freshness))
      expect(Object.keys(f)).toEqual([
        'resource',
        'status',
        'ageSeconds',
        'rpoSeconds',
        'recoveryPoint',
        'lastJob',
        'reason',
        'alert',
      ]);
    expect(doc.summary).toEqual({ ok: 8, warning: 1, breach: 1, missing: 1, unknown: 0 });
  });

  let examples: AuditJson;
  beforeAll(async () => {
    examples = JSON.parse((await runCli(['audit', ...EXAMPLES, '--json'])).stdout) as AuditJson;
  });

  it.each([
    // The copy's data time is its source point's (from the copy job), not the copy's own 250s.
    { key: 'case-management/case-db', status: 'warning', ageSeconds: 290, rpoSeconds: 300 },
    { key: 'case-management/case-files', status: 'ok', ageSeconds: 360, rpoSeconds: 900 },
    { key: 'case-management/case-sessions', status: 'ok', ageSeconds: 300, rpoSeconds: 900 },
    { key: 'case-management/case-documents', status: 'ok', ageSeconds: 1800, rpoSeconds: 3600 },
    { key: 'case-management/case-cluster', status: 'ok', ageSeconds: 2400, rpoSeconds: 3600 },
    { key: 'citizen-portal/portal-blobs', status: 'ok', ageSeconds: 50_400, rpoSeconds: 86_400 },
    { key: 'citizen-portal/portal-aks', status: 'ok', ageSeconds: 36_000, rpoSeconds: 86_400 },
    { key: 'citizen-portal/portal-web-vm', status: 'missing', ageSeconds: null, rpoSeconds: 28_800 },
    { key: 'payments/payments-db', status: 'ok', ageSeconds: 180, rpoSeconds: 300 },
    { key: 'payments/payments-ledger', status: 'ok', ageSeconds: 480, rpoSeconds: 900 },
    { key: 'payments/settlement-batch', status: 'breach', ageSeconds: 10_800, rpoSeconds: 3600 },
  ])('reports $key as $status, $ageSeconds s old', ({ key, status, ageSeconds, rpoSeconds }) => {
    const f = byResource(examples)[key];
    expect(f).toMatchObject({ status, ageSeconds, rpoSeconds });
    expect(f?.recoveryPoint === null).toBe(status === 'missing');
  });

  it('reports the failed backup job after the newest point of an ok resource, and alerts on it', () => {
    const f = byResource(examples)['payments/payments-ledger'];
    expect(f?.status).toBe('ok');
    expect(f?.alert).toBe(true);
    expect(f?.lastJob).toMatchObject({
      id: '0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e',
      kind: 'backup',
      state: 'FAILED',
      at: '2026-11-21T11:59:00.000Z',
    });
  });

  it('says why the missing resource has no point: its points are in another region', () => {
    const f = byResource(examples)['citizen-portal/portal-web-vm'];
    expect(f?.reason).toContain('no restorable recovery point in region northeurope');
    expect(f?.reason).toContain('outside the recovery location (region westeurope)');
  });

  it('adds the API calls the simulated cloud served with --stats', async () => {
    const doc = JSON.parse((await runCli(['audit', ...EXAMPLES, '--json', '--stats'])).stdout) as AuditJson;
    expect(Object.keys(doc)).toEqual(['generatedAt', 'apps', 'summary', 'stats']);
    // One listing per planned vault: dr-vault and payments-dr.
    expect(doc.stats?.calls['backup:ListRecoveryPointsByBackupVault']).toBe(2);
    expect(doc.stats?.calls['recoveryservices:RecoveryPoints_List']).toBe(1);
    for (const [api, n] of Object.entries(doc.stats?.calls ?? {})) {
      expect(api).toMatch(/^[a-z0-9-]+:[A-Za-z0-9_]+$/);
      expect(n).toBeGreaterThan(0);
    }
  });

  it.each([
    { flags: [], code: 2 },
    { flags: ['--strict'], code: 2 },
  ])('exits $code with $flags', async ({ flags, code }) => {
    expect((await runCli(['audit', ...EXAMPLES, '--format', 'json', ...flags])).code).toBe(code);
  });

  it('prints the same document for --json and --format json', async () => {
    const a = await runCli(['audit', ...EXAMPLES, '--json']);
    const b = await runCli(['audit', ...EXAMPLES, '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('renders a Markdown table per app', async () => {
    const run = await runCli(['audit', ...EXAMPLES, '--format', 'markdown']);
    expect(run.code).toBe(2);
    for (const app of ['case-management', 'citizen-portal', 'payments'])
      expect(run.stdout).toMatch(new RegExp(`## ${app}( \\(owner: [\\w-]+\\))?\\n`));
    // The owner named in the plan is shown: the team to call.
    expect(run.stdout).toContain('## case-management (owner: platform-team)\n');
    expect(run.stdout).toContain('| Resource | Status | Age | RPO | Recovery point | Reason |');
    expect(run.stdout).toMatch(/\| settlement-batch \| ❌ breach \| 3h 0m \| 1h \|/);
  });

  it('writes well-formed JUnit XML with a failure per failing resource', async () => {
    const run = await runCli(['audit', ...EXAMPLES, '--format', 'junit']);
    const root = parseXml(run.stdout);
    expect(root.attributes).toMatchObject({ tests: '11', failures: '2' });
    const failing = root.children.flatMap((s) =>
      s.children.filter((tc) => tc.children[0]?.name === 'failure').map((tc) => tc.attributes['name']),
    );
    expect(failing).toEqual(['portal-web-vm', 'settlement-batch']);
    const strict = parseXml((await runCli(['audit', ...EXAMPLES, '--format', 'junit', '--strict'])).stdout);
    expect(strict.attributes['failures']).toBe('3');
  });

  it('prints an aligned table without colour when stdout is not a terminal', async () => {
    const run = await runCli(['audit', ...EXAMPLES], { stdout: false, stderr: false });
    expect(run.stdout).not.toContain('\x1b[');
    expect(run.stdout).toContain(
      '11 resources at 2026-11-21T12:00:00.000Z: 8 ok, 1 warning, 1 breach, 1 missing, 0 unknown',
    );
  });

  it.each([
    { env: {}, colour: true },
    { env: { NO_COLOR: '1' }, colour: false },
  ])('colours the table on a terminal unless NO_COLOR is set ($env)', async ({ env, colour }) => {
    const run = await runCli(['audit', ...EXAMPLES], { stdout: true, stderr: false }, env);
    expect(run.stdout.includes('\x1b[')).toBe(colour);
  });
});

describe('standby audit --strict', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standby-strict-'));
    // Only case-management: its worst status is the warning on case-db.
    await writeFile(join(dir, 'case.yaml'), await readFile('examples/plans/case-management.yaml', 'utf8'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    { flags: [], code: 0 },
    { flags: ['--strict'], code: 2 },
  ])('exits $code for a plan set whose worst status is a warning, with $flags', async ({ flags, code }) => {
    const run = await runCli([
      'audit',
      '--plan',
      join(dir, 'case.yaml'),
      '--world',
      'examples/world.yaml',
      ...flags,
    ]);
    expect(run.code).toBe(code);
    expect(run.stdout).toContain('0 breach, 0 missing, 0 unknown');
  });
});

describe('standby status', () => {
  let stateDir: string;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'standby-status-'));
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('prints the freshness of every app with the active site read from its routing and no failover', async () => {
    const run = await runCli(['status', ...EXAMPLES, '--state', stateDir, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as {
      generatedAt: string;
      apps: {
        name: string;
        activeSite: string;
        failover: unknown;
        freshness: FreshnessJson[];
        notifications: [];
      }[];
    };
    expect(doc.generatedAt).toBe('2026-11-21T12:00:00.000Z');
    expect(doc.apps.map((a) => [a.name, a.activeSite, a.failover, a.notifications])).toEqual([
      ['case-management', 'primary', null, []],
      ['citizen-portal', 'primary', null, []],
      ['payments', 'primary', null, []],
    ]);
    expect(doc.apps[0]?.freshness[0]).toMatchObject({
      resource: 'case-db',
      status: 'warning',
      ageSeconds: 290,
    });
  });

  it('prints a table per app by default', async () => {
    const run = await runCli(['status', ...EXAMPLES, '--state', stateDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('payments  active site: primary  failover: none');
  });

  it('writes nothing: a view needs no approval key and no state', async () => {
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(stateDir)).toEqual([]);
  });
});

describe('standby validate', () => {
  it('describes each valid plan and exits 0', async () => {
    const run = await runCli(['validate', 'examples/plans']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('examples/plans/payments.yaml:6 payments: 3 resources, RPO 15m, RTO 30m');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('3 plans valid');
  });
});

const VALID_PLAN = `apiVersion: standby/v1
kind: RecoveryPlan
metadata:
  name: shop
spec:
  objectives:
    rpo: 15m
    rto: 1h
  primary: { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  failover:
    mode: manual
  resources:
    - name: db
      dependsOn: []
      awsBackup:
        resourceArn: arn:aws:rds:eu-west-1:111122223333:db:shop-db
        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault
    - name: files
      dependsOn: [db]
      awsBackup:
        resourceArn: arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0
        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault
`;

describe('STANDBY_PLAN', () => {
  it('gives the default plan path; --plan still wins', async () => {
    const saved = process.env['STANDBY_PLAN'];
    process.env['STANDBY_PLAN'] = 'examples/plans';
    try {
      const run = await runCli(['audit', '--world', 'examples/world.yaml', '--json']);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout).apps.map((a: { name: string }) => a.name)).toEqual([
        'case-management',
        'citizen-portal',
        'payments',
      ]);
      const one = await runCli([
        'audit',
        '--plan',
        'examples/plans/payments.yaml',
        '--world',
        'examples/world.yaml',
        '--json',
      ]);
      expect(JSON.parse(one.stdout).apps.map((a: { name: string }) => a.name)).toEqual(['payments']);
    } finally {
      if (saved === undefined) delete process.env['STANDBY_PLAN'];
      else process.env['STANDBY_PLAN'] = saved;
    }
  });
});

describe('invalid input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'standby-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each([
    {
      name: 'a dependsOn cycle',
      edit: (t: string) => t.replace('      dependsOn: []', '      dependsOn: [files]'),
      line: 15,
      message: 'spec.resources[0].dependsOn: dependsOn forms a cycle: db → files → db',
    },
    {
      name: 'an unknown dependency',
      edit: (t: string) => t.replace('dependsOn: [db]', 'dependsOn: [cache]'),
      line: 20,
      message: 'spec.resources[1].dependsOn[0]: unknown dependency "cache"; expected one of: db, files',
    },
    {
      name: 'a missing rpo',
      edit: (t: string) => t.replace('    rpo: 15m\n', ''),
      line: 6,
      message: 'spec.objectives.rpo: is required',
    },
    {
      name: 'a malformed ARN',
      edit: (t: string) => t.replace('111122223333:db:shop-db', '1111:db:shop-db'),
      line: 17,
      message: 'has no 12-digit account id; expected e.g. arn:aws:rds:eu-west-1:111122223333:db:case-db',
    },
    {
      name: 'rpo: fifteen',
      edit: (t: string) => t.replace('rpo: 15m', 'rpo: fifteen'),
      line: 7,
      message:
        '"fifteen" is not a duration; expected a positive whole number followed by s, m, h or d (e.g. 90s, 15m, 1h, 2d)',
    },
    {
      name: 'a literal password in restore metadata',
      edit: (t: string) =>
        t.replace(
          '        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault\n    - name: files',
          `        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault\n        restore:\n          iamRoleArn: arn:aws:iam::111122223333:role/restore\n          metadata: { MasterUserPassword: ${['s3cr', 'et!'].join('')} }\n    - name: files`,
        ),
      line: 21,
      message:
        'spec.resources[0].awsBackup.restore.metadata.MasterUserPassword: "MasterUserPassword" holds a literal secret; give a reference instead: env:NAME',
    },
  ])(
    'exits 1 for $name, naming file:line and what is allowed, printing nothing on stdout',
    async ({ name, edit, line, message }) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
      await writeFile(file, edit(VALID_PLAN));
      for (const argv of [
        ['validate', file],
        ['audit', '--plan', file, '--world', 'examples/world.yaml', '--json'],
      ]) {
        const run = await runCli(argv);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain(`${file}:${line}:`);
        expect(run.stderr).toContain(message);
      }
    },
  );

  it('refuses a YAML alias bomb with a located error, not a stack trace, without expanding it', async () => {
    const file = join(dir, 'bomb.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const previous = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    await writeFile(file, `${levels.join('\n')}\n`);
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:1:1 the YAML expands too far`);
    expect(run.stderr).not.toContain('    at ');
  });

  it('says a world file given as a plan is a world file, in one problem', async () => {
    const run = await runCli(['validate', 'examples/world.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'examples/world.yaml:15:1 this is a world file (the simulated cloud: clock, aws, azure), not a plan; give it with --world, and plans with --plan\nstandby: 1 problem in the plan files\n',
    );
  });

  it('accepts the plan the table starts from', async () => {
    const file = join(dir, 'valid.yaml');
    await writeFile(file, VALID_PLAN);
    expect((await runCli(['validate', file])).code).toBe(0);
  });

  it('exits 1 for an invalid world, naming file:line, and prints nothing on stdout', async () => {
    const world = join(dir, 'world.yaml');
    await writeFile(
      world,
      'clock: 2026-11-21T12:00:00Z\naws:\n  recoveryPoints:\n    - CreationDate: yesterday\n',
    );
    const run = await runCli(['audit', '--plan', 'examples/plans', '--world', world, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${world}:4:`);
    expect(run.stderr).toContain('"yesterday" is not a time');
  });

  it('reports a bad plan and a bad world together', async () => {
    const plan = join(dir, 'bad-plan.yaml');
    const world = join(dir, 'bad-world.yaml');
    await writeFile(plan, VALID_PLAN.replace('rpo: 15m', 'rpo: fifteen'));
    await writeFile(world, 'clock: 2026-11-21T12:00:00Z\nweather: sunny\n');
    const run = await runCli(['audit', '--plan', plan, '--world', world]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${plan}:7:`);
    expect(run.stderr).toContain(`${world}:2:`);
  });

  it.each([
    {
      argv: ['audit', '--plan', 'no/such/dir'],
      says: 'plan path no/such/dir cannot be read (no such file or directory [ENOENT])',
    },
    {
      argv: ['audit', '--plan', 'examples/plans', '--world', 'no/such.yaml'],
      says: 'world file no/such.yaml cannot be read',
    },
    { argv: ['audit', '--plan', 'test'], says: 'plan directory test holds no *.yaml, *.yml or *.json file' },
  ])('exits 1 for an unreadable path: $says', async ({ argv, says }) => {
    const run = await runCli(argv);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toContain(says);
  });
});

describe('usage errors', () => {
  it.each([
    { argv: ['frobnicate'], says: "unknown command 'frobnicate'" },
    { argv: [], says: 'Usage: standby' },
    { argv: ['audit'], says: "required option '--plan <path>' not specified" },
    { argv: ['audit', '--plan', 'examples/plans', '--format', 'xml'], says: "argument 'xml' is invalid" },
    { argv: ['audit', '--plan', 'examples/plans', '--colour'], says: "unknown option '--colour'" },
    { argv: ['validate'], says: "missing required argument 'plan'" },
    {
      argv: ['audit', '--plan', 'examples/plans', '--json', '--format', 'table'],
      says: '--json prints JSON',
    },
    {
      argv: ['audit', '--plan', 'examples/plans', '--stats'],
      says: '--stats counts the calls served by the simulated cloud',
    },
  ])('exits 1 for $argv with a message on stderr and nothing on stdout', async ({ argv, says }) => {
    const run = await runCli(argv);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(says);
  });

  it.each([['--help'], ['--version'], ['audit', '--help']])(
    'exits 0 for %j and prints on stdout',
    async (...argv) => {
      const run = await runCli(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toBe('');
    },
  );
});
