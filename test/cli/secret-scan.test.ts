/**
 * Issue OPERATOR acceptance: "no test fixture, output or log contains a literal secret; a scan of
 * captured test output proves it". The CLI is run through its commands (plans, audits in every
 * format, replay, failover, approval, advance, drill, evidence, completion, and refused inputs that
 * plant secrets); everything it printed, and every file under test/fixtures/ and examples/, is
 * scanned with the secret detector of shared/domain/secrets.ts. The planted values must appear
 * nowhere. Only a simulation's inbox holds approval tokens (status --json `approveToken` /
 * `rejectToken`, documented in docs/cli.md): they are the scan's one named exception.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { findLiteralSecrets } from '#shared/domain/secrets.ts';
import { type CliRun, EXAMPLES, runCli } from './run-cli.ts';

const PLAN = 'test/fixtures/replay/plan.yaml';
const WORLD = 'test/fixtures/replay/world.yaml';
const ALARM = 'test/fixtures/aws/cloudwatch-alarm-state-change-alarm.json';
/** Values planted in refused inputs: none may be printed. The AWS key id is made up (AKIA + 16). */
const PLANTED = ['Plant3dPassw0rd', 'Plant3dApiKey9', 'AKIAPLANTED0000KEY01', 'Plant3dMasterPw'];

let dir: string;
const runs: { argv: string; run: CliRun }[] = [];
const cli = async (argv: string[], stdin?: string) => {
  const run = await runCli(argv, undefined, {}, stdin);
  runs.push({ argv: argv.join(' '), run });
  return run;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-secret-scan-'));
  const state = (name: string) => ['--state', join(dir, name)];
  const replayFlags = ['--plan', PLAN, '--world', WORLD];

  // Plans and audits, every format.
  await cli(['validate', 'examples/plans']);
  await cli(['validate', '--json', 'examples/plans']);
  await cli(['validate', '--preflight', '--json', '--world', 'examples/world.yaml', 'examples/plans']);
  for (const format of ['table', 'json', 'markdown', 'junit'])
    await cli(['audit', ...EXAMPLES, '--format', format, '--stats', '--preflight']);
  await cli(['status', ...EXAMPLES, ...state('examples'), '--json']);

  // Failovers: replay, dry run, run, advance, a drill, evidence.
  await cli(['replay', ...replayFlags, ...state('replay'), '--json', '--stats', ALARM]);
  await cli(['status', ...replayFlags, ...state('replay')]);
  await cli(['failover', ...EXAMPLES, ...state('examples'), '--app', 'payments', '--dry-run']);
  await cli(['failover', ...EXAMPLES, ...state('examples'), '--app', 'case-management', '--json']);
  await cli(['advance', '--by', '1h', ...EXAMPLES, ...state('examples'), '--json']);
  await cli(['drill', ...EXAMPLES, ...state('drill'), '--app', 'case-management', '--json', '--stats']);
  await cli(['evidence', '--plan', 'examples/plans', '--world', 'examples/world.yaml', ...state('drill')]);
  await cli(['evidence', 'verify', ...state('drill'), '--json']);

  // An approval: the request's notice, the token from the simulated inbox given on stdin.
  const approvalPlan = join(dir, 'approval.yaml');
  await writeFile(
    approvalPlan,
    (await readFile(PLAN, 'utf8')).replace(
      'mode: automatic',
      'mode: approval\n    approval:\n      notify: [{ sns: "arn:aws:sns:us-west-2:123456789012:dr-approvals" }, { teams: { webhookUrl: "env:TEAMS_WEBHOOK_URL" } }]\n      timeout: 30m',
    ),
  );
  const approvalFlags = ['--plan', approvalPlan, '--world', WORLD, ...state('approval')];
  const asked = await cli(['replay', ...approvalFlags, '--json', ALARM]);
  const token = (
    JSON.parse(asked.stdout) as { status: { apps: { notifications: { approveToken?: string }[] }[] } }
  ).status.apps[0]!.notifications[0]!.approveToken!;
  await cli(['approve', '-', ...approvalFlags], `${token}\n`);
  await cli(['status', ...approvalFlags]);

  // Refused inputs that plant secrets: a password in restore metadata, credentials and a key in a probe URL.
  const planted = join(dir, 'planted.yaml');
  await writeFile(
    planted,
    (await readFile(PLAN, 'utf8'))
      .replace(
        'https://orders.us-west-2.example.com/health',
        `https://admin:${PLANTED[0]}@orders.us-west-2.example.com/health?apikey=${PLANTED[1]}&k=${PLANTED[2]}`,
      )
      .replace(
        'metadata: { DBInstanceIdentifier:',
        `metadata: { MasterUserPassword: ${PLANTED[3]}, DBInstanceIdentifier:`,
      ),
  );
  await cli(['validate', planted]);
  await cli(['validate', '--json', planted]);
  await cli([
    'failover',
    '--plan',
    planted,
    '--world',
    WORLD,
    ...state('planted'),
    '--app',
    'orders',
    '--dry-run',
  ]);

  await cli(['completion', 'bash']);
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Findings in printed text: each word (a URL, a key) checked by the detector. */
function textFindings(text: string): string[] {
  return text
    .split(/[\s"'<>(),;`]+/)
    .filter((word) => word.length > 0)
    .flatMap((word) => findLiteralSecrets(word).map((f) => `${word}: ${f.message}`));
}

/** Findings in a JSON document, but the simulated inbox's approval tokens (documented). */
function jsonFindings(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  return findLiteralSecrets(doc)
    .filter((f) => !/^(approveToken|rejectToken)$/.test(String(f.path.at(-1))))
    .map((f) => `${f.path.join('.')}: ${f.message}`);
}

describe('secret scan of captured CLI output', () => {
  it('ran the commands it scans, refusing the planted ones', () => {
    expect(runs.length).toBeGreaterThan(20);
    const refused = runs.filter((r) => r.argv.includes('planted.yaml'));
    expect(refused.map((r) => r.run.code)).toEqual([1, 1, 1]);
    expect(refused[0]!.run.stderr).toContain(
      'spec.validate[0].http.url: holds what looks like an AWS access key id',
    );
    expect(refused[0]!.run.stderr).toContain('"MasterUserPassword" holds a literal secret');
  });

  it('finds no literal secret in any stdout or stderr, and none of the planted values', () => {
    const findings = runs.flatMap(({ argv, run }) =>
      [...textFindings(run.stdout), ...textFindings(run.stderr), ...jsonFindings(run.stdout)].map(
        (f) => `${argv}: ${f}`,
      ),
    );
    expect(findings).toEqual([]);
    for (const { argv, run } of runs)
      for (const value of PLANTED) expect(`${argv}\n${run.stdout}${run.stderr}`).not.toContain(value);
  });

  it('finds no literal secret in the state a run leaves (controller state and world copy)', async () => {
    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThan(5);
    // Not the plans this test wrote (the planted one holds the values on purpose), nor the key.
    for (const file of files.filter((f) => !f.endsWith('.yaml') && !f.endsWith('approval.key'))) {
      const text = await readFile(file, 'utf8');
      for (const value of PLANTED) expect(text, file).not.toContain(value);
      expect(jsonFindings(text), file).toEqual([]);
    }
  });
});

describe('secret scan of the fixtures and examples', () => {
  it('finds no literal secret in any file under test/fixtures/ or examples/', async () => {
    const files = [...(await filesUnder('test/fixtures')), ...(await filesUnder('examples'))];
    expect(files.length).toBeGreaterThan(40);
    const findings: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      findings.push(...textFindings(text).map((f) => `${file}: ${f}`));
      const docs = /\.json$/.test(file)
        ? [JSON.parse(text) as unknown]
        : /\.ya?ml$/.test(file)
          ? parseAllDocuments(text).map((d) => ('toJS' in d ? d.toJS() : null))
          : [];
      for (const doc of docs)
        findings.push(...findLiteralSecrets(doc).map((f) => `${file}: ${f.path.join('.')}: ${f.message}`));
    }
    // One named exception: the documented Standby approval input carries a made-up token that
    // verifies against no key (an approval token is a single-use capability, never a cloud credential).
    expect(findings).toEqual([
      expect.stringMatching(/^test\/fixtures\/events\/standby-approval-approve\.json: token: "token" holds/),
    ]);
  });
});

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
