import { describe, expect, it } from 'vitest';
import { ErrorCode, formatProblem, InvalidPlanError } from '#shared/domain/errors.ts';
import { formatPath, type PlanText, readPlans } from '#shared/domain/plan-file.ts';
import { awsPlanDoc, azurePlanDoc, planYaml } from '../../support/plans.ts';

/** Reads and returns the error's problems as `file:line path message` tuples. */
function problems(sources: PlanText[]): { file: string; line: number; path: string; message: string }[] {
  try {
    readPlans(sources);
  } catch (error) {
    if (!(error instanceof InvalidPlanError)) throw error;
    expect(error.code).toBe(ErrorCode.InvalidPlan);
    return error.problems.map(({ file, line, path, message }) => ({ file, line, path, message }));
  }
  throw new Error('expected readPlans to fail');
}

// Line numbers matter here: the comment at the right of a line is its number.
const BROKEN = `apiVersion: standby/v1
kind: RecoveryPlan
metadata:
  name: case-management
spec:
  objectives:
    rpo: fifteen
    rto: 60m
  primary: { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  triggers:
    - awsAlarm: arn:aws:cloudwatch:eu-west-1:111122223333:alarm:case-api-health
  failover:
    mode: automatic
    colour: blue
  resources:
    - name: case-db
      awsBackup:
        resourceArn: arn:aws:rds:eu-west-1:111122223333:db:case-db
        vaultArn: arn:aws:backup:eu-central-1:11112222333:backup-vault:dr-vault
`;

const CYCLE = `apiVersion: standby/v1
kind: RecoveryPlan
metadata:
  name: billing
spec:
  objectives: { rpo: 15m, rto: 1h }
  primary: { cloud: aws, region: eu-west-1 }
  recovery: { cloud: aws, region: eu-central-1 }
  failover: { mode: manual }
  resources:
    - name: db
      dependsOn: [api]
      awsBackup:
        resourceArn: arn:aws:rds:eu-west-1:111122223333:db:db
        vaultArn: arn:aws:backup:eu-central-1:111122223333:backup-vault:dr-vault
    - name: api
      dependsOn:
        - db
        - queue
      awsBackup:
        resourceArn: arn:aws:dynamodb:eu-west-1:111122223333:table/api
        vaultArn: arn:aws:backup:eu-west-1:111122223333:backup-vault:dr-vault
`;

describe('readPlans', () => {
  it('locates each schema problem at the line of its field', () => {
    expect(problems([{ file: 'plans/case.yaml', text: BROKEN }])).toEqual([
      {
        file: 'plans/case.yaml',
        line: 7,
        path: 'spec.objectives.rpo',
        message: expect.stringContaining('"fifteen" is not a duration'),
      },
      {
        file: 'plans/case.yaml',
        line: 15,
        path: 'spec.failover.colour',
        message: expect.stringContaining('unknown field "colour"'),
      },
      {
        file: 'plans/case.yaml',
        line: 20,
        path: 'spec.resources[0].awsBackup.vaultArn',
        message: expect.stringContaining('has no 12-digit account id'),
      },
    ]);
  });

  it('locates each cross-field problem at the line of its field', () => {
    expect(problems([{ file: 'billing.yaml', text: CYCLE }])).toEqual([
      {
        file: 'billing.yaml',
        line: 22,
        path: 'spec.resources[1].awsBackup.vaultArn',
        message: expect.stringContaining('vault is in eu-west-1 but the recovery region is eu-central-1'),
      },
      {
        file: 'billing.yaml',
        line: 19,
        path: 'spec.resources[1].dependsOn[1]',
        message: expect.stringContaining('unknown dependency "queue"'),
      },
      {
        file: 'billing.yaml',
        line: 12,
        path: 'spec.resources[0].dependsOn',
        message: 'dependsOn forms a cycle: db → api → db',
      },
    ]);
  });

  it('formats problems as file:line:col path: message', () => {
    try {
      readPlans([{ file: 'plans/case.yaml', text: BROKEN }]);
    } catch (error) {
      expect((error as InvalidPlanError).message.split('\n')[0]).toMatch(
        /^plans\/case\.yaml:7:\d+ spec\.objectives\.rpo: "fifteen" is not a duration/,
      );
      return;
    }
    throw new Error('expected readPlans to fail');
  });

  it('leaves out empty documents (a bare ---) around the plans', () => {
    const text = `---\n---\n${planYaml(awsPlanDoc('alpha'))}\n---\n`;
    expect(readPlans([{ file: 'all.yaml', text }]).map((l) => l.plan.name)).toEqual(['alpha']);
  });

  it('reads every document of a multi-document YAML file, with the line each starts at', () => {
    const text = planYaml(awsPlanDoc('alpha'), azurePlanDoc('beta'), awsPlanDoc('gamma'));
    const loaded = readPlans([{ file: 'all.yaml', text }]);
    expect(loaded.map((l) => [l.plan.name, l.file])).toEqual([
      ['alpha', 'all.yaml'],
      ['beta', 'all.yaml'],
      ['gamma', 'all.yaml'],
    ]);
    const lines = text.split('\n');
    for (const l of loaded) expect(lines[l.line - 1]).toBe('apiVersion: standby/v1');
    expect(loaded[0]?.line).toBe(1);
    expect(loaded[1]?.line).toBeGreaterThan(loaded[0]!.line);
  });

  it('locates a problem in a later document of a multi-document file', () => {
    const text = `${planYaml(awsPlanDoc('alpha'))}---\n${BROKEN}`;
    const offset = planYaml(awsPlanDoc('alpha')).split('\n').length; // lines before BROKEN, "---" included
    const found = problems([{ file: 'multi.yaml', text }]);
    expect(found.map((p) => p.line)).toEqual([7 + offset, 15 + offset, 20 + offset]);
  });

  it('reads JSON input', () => {
    const text = JSON.stringify(awsPlanDoc('from-json'), null, 2);
    const [loaded] = readPlans([{ file: 'plan.json', text }]);
    expect(loaded?.plan.name).toBe('from-json');
    expect(loaded?.plan.rpoSeconds).toBe(900);
  });

  it('locates problems in JSON input too', () => {
    const doc = awsPlanDoc();
    (doc.spec['objectives'] as Record<string, unknown>)['rto'] = 'an hour';
    const text = JSON.stringify(doc, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"rto"')) + 1;
    expect(problems([{ file: 'plan.json', text }])).toEqual([
      { file: 'plan.json', line, path: 'spec.objectives.rto', message: expect.stringContaining('"an hour"') },
    ]);
  });

  it('reports a YAML syntax error at its line', () => {
    const text = 'apiVersion: standby/v1\nkind: RecoveryPlan\nmetadata:\n  name: [unclosed\nspec: {}\n';
    const found = problems([{ file: 'bad.yaml', text }]);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file: 'bad.yaml', path: '' });
    expect(found[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a duplicate key as a YAML error', () => {
    const text = 'apiVersion: standby/v1\nkind: RecoveryPlan\nkind: RecoveryPlan\n';
    expect(problems([{ file: 'dup.yaml', text }])).toEqual([
      { file: 'dup.yaml', line: 3, path: '', message: expect.stringMatching(/unique/i) },
    ]);
  });

  it.each([
    { case: 'an empty file', text: '' },
    { case: 'a file of comments', text: '# nothing here yet\n' },
  ])('reports $case as holding no plan', ({ text }) => {
    expect(problems([{ file: 'empty.yaml', text }])).toEqual([
      { file: 'empty.yaml', line: 1, path: '', message: 'the file holds no plan document' },
    ]);
  });

  it('reports a duplicate application name across files with both places', () => {
    const found = problems([
      { file: 'a.yaml', text: planYaml(awsPlanDoc('shared-name')) },
      { file: 'b.yaml', text: `# second copy\n${planYaml(awsPlanDoc('shared-name'))}` },
    ]);
    expect(found).toEqual([
      {
        file: 'b.yaml',
        line: 5, // "# second copy", apiVersion, kind, metadata, then name
        path: 'metadata.name',
        message: expect.stringContaining('application "shared-name" is already defined at a.yaml:1'),
      },
    ]);
  });

  it('reports every problem of every file, not just the first', () => {
    const found = problems([
      { file: 'one.yaml', text: BROKEN },
      { file: 'two.yaml', text: CYCLE },
      { file: 'ok.yaml', text: planYaml(awsPlanDoc('fine')) },
      { file: 'three.yaml', text: '' },
    ]);
    expect(found.map((p) => `${p.file}:${p.line}`)).toEqual([
      'one.yaml:7',
      'one.yaml:15',
      'one.yaml:20',
      'two.yaml:22',
      'two.yaml:19',
      'two.yaml:12',
      'three.yaml:1',
    ]);
  });

  it('returns the plans when every document is valid', () => {
    const loaded = readPlans([
      { file: 'a.yaml', text: planYaml(awsPlanDoc('a')) },
      { file: 'b.yaml', text: planYaml(azurePlanDoc('b')) },
    ]);
    expect(loaded.map((l) => `${l.file}:${l.line} ${l.plan.name}`)).toEqual(['a.yaml:1 a', 'b.yaml:1 b']);
  });
});

describe('formatPath', () => {
  it.each([
    { path: [], text: '' },
    { path: ['spec'], text: 'spec' },
    { path: ['spec', 'resources', 2, 'dependsOn', 0], text: 'spec.resources[2].dependsOn[0]' },
  ])('renders $text', ({ path, text }) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('formatProblem', () => {
  it('omits the path when there is none', () => {
    expect(formatProblem({ file: 'a.yaml', line: 3, column: 1, path: '', message: 'bad' })).toBe(
      'a.yaml:3:1 bad',
    );
  });
});
