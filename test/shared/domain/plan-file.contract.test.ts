/**
 * What `readPlans` says about a bad plan, message by message: sizes and bounds in words, unknown
 * fields, missing and mistyped fields, options, a world file given as a plan and a YAML alias bomb,
 * each at the line of its field.
 */

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { awsPlanDoc, type PlanDoc, problemsInText as problemsOf, withPlan } from '../../support/plans.ts';

const yamlOf = (doc: PlanDoc) => stringify(doc);
const lineOf = (text: string, fragment: string) =>
  text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
const SCHEMA = 'see schema/recovery-plan.schema.json';

describe('readPlans: messages in words', () => {
  it.each<[string, (d: PlanDoc) => void, string, string, string]>([
    [
      'an empty string',
      (d) => {
        (d.spec['routing'] as { route53: Record<string, unknown> }).route53['recordName'] = '';
      },
      'recordName:',
      'spec.routing.route53.recordName',
      'has 0 characters; it must be at least 1 characters',
    ],
    [
      'a number under its minimum',
      (d) => {
        (d.spec['validate'] as { http: Record<string, unknown> }[])[0]!.http['attempts'] = 0;
      },
      'attempts:',
      'spec.validate[0].http.attempts',
      'is 0; it must be at least 1',
    ],
    [
      'a number over its maximum',
      (d) => {
        (d.spec['validate'] as { http: Record<string, unknown> }[])[0]!.http['attempts'] = 101;
      },
      'attempts:',
      'spec.validate[0].http.attempts',
      'is 101; it must be at most 100',
    ],
    [
      'a list under its minimum, in the schema’s own words',
      (d) => {
        d.spec['resources'] = [];
      },
      'resources:',
      'spec.resources',
      'a plan protects at least one resource',
    ],
    [
      'a mistyped field',
      (d) => {
        d.metadata['owner'] = 5;
      },
      'owner:',
      'metadata.owner',
      'expected string, received number',
    ],
    [
      'a missing field',
      (d) => {
        delete d.metadata['name'];
      },
      'metadata:',
      'metadata.name',
      'is required (expected string)',
    ],
    [
      'a value that is not one of the options',
      (d) => {
        (d.spec['failover'] as Record<string, unknown>)['mode'] = 'sometimes';
      },
      'mode:',
      'spec.failover.mode',
      'expected one of "automatic"|"approval"|"manual"',
    ],
    [
      'two unknown fields, at the object that holds them',
      (d) => {
        d.metadata['colour'] = 'blue';
        d.metadata['size'] = 'xl';
      },
      'metadata:',
      'metadata',
      `unknown fields "colour", "size"; ${SCHEMA} for the allowed fields`,
    ],
    [
      'one unknown field, at the field itself',
      (d) => {
        d.metadata['colour'] = 'blue';
      },
      'colour:',
      'metadata.colour',
      `unknown field "colour"; ${SCHEMA} for the allowed fields`,
    ],
  ])('says what is wrong with %s, at its line', (_case, change, lineFragment, path, message) => {
    const text = yamlOf(withPlan(awsPlanDoc(), change));
    expect(problemsOf(text)).toEqual([
      { line: lineOf(text, lineFragment), column: expect.any(Number), path, message },
    ]);
  });

  it('names the forms of a list item that matches none', () => {
    const text = yamlOf(
      withPlan(awsPlanDoc(), (d) => {
        d.spec['triggers'] = [{ gcpAlert: 'x' }];
      }),
    );
    expect(problemsOf(text)).toEqual([
      {
        line: lineOf(text, 'gcpAlert'),
        column: expect.any(Number),
        path: 'spec.triggers[0]',
        message: `does not match any allowed form (expected one of: awsAlarm, azureAlertRule); ${SCHEMA}`,
      },
    ]);
  });

  it('reports the problems of the one form a union item was meant as', () => {
    const text = yamlOf(
      withPlan(awsPlanDoc(), (d) => {
        d.spec['triggers'] = [{ awsAlarm: 'case-api-health' }];
      }),
    );
    expect(problemsOf(text)).toEqual([
      {
        line: lineOf(text, 'awsAlarm'),
        column: expect.any(Number),
        path: 'spec.triggers[0].awsAlarm',
        message: expect.stringContaining('"case-api-health" is not an ARN'),
      },
    ]);
  });

  it('locates a problem below a missing key at the deepest key that exists', () => {
    const text = yamlOf(
      withPlan(awsPlanDoc(), (d) => {
        delete (d.spec['objectives'] as Record<string, unknown>)['rpo'];
      }),
    );
    expect(problemsOf(text)).toEqual([
      {
        line: lineOf(text, 'objectives:'),
        column: expect.any(Number),
        path: 'spec.objectives.rpo',
        message:
          'is required: a duration, a positive whole number followed by s, m, h or d (e.g. 90s, 15m, 1h, 2d)',
      },
    ]);
  });
});

describe('readPlans: documents that are no plan', () => {
  it.each(['clock', 'aws', 'azure'])(
    'says a document with %s at the top and no kind is a world file',
    (key) => {
      expect(problemsOf(stringify({ [key]: {} }))).toEqual([
        {
          line: 1,
          column: 1,
          path: '',
          message:
            'this is a world file (the simulated cloud: clock, aws, azure), not a plan; give it with --world, and plans with --plan',
        },
      ]);
    },
  );

  it('reads a document with a kind as a plan, whatever else it holds', () => {
    const problems = problemsOf(stringify({ kind: 'RecoveryPlan', aws: {} }));
    expect(problems.filter((p) => p.message.includes('world file'))).toEqual([]);
    expect(problems.length).toBeGreaterThan(1);
  });

  it.each([
    ['a list', '- clock\n- aws\n', 'expected object, received array'],
    ['a scalar', 'clock\n', 'expected object, received string'],
  ])('reads %s as a plan of the wrong type, not a world file', (_case, text, message) => {
    expect(problemsOf(text)).toEqual([{ line: 1, column: 1, path: '', message }]);
  });

  it('refuses a document whose aliases expand too far, at its first line', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(10)
          .fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`)
          .join(', ')}]`,
      );
    const [problem, ...more] = problemsOf(lines.join('\n'));
    expect(more).toEqual([]);
    expect(problem).toEqual({
      line: 1,
      column: 1,
      path: '',
      message: expect.stringMatching(
        /^the YAML expands too far \(more than 50 aliases, or aliases of aliases\); write the values out: /,
      ),
    });
  });

  it('reads a document with a handful of aliases', () => {
    const doc = yamlOf(awsPlanDoc()).replace(
      'owner: platform-team',
      'owner: &o platform-team\n  description: *o',
    );
    expect(problemsOf(doc).map((p) => p.message)).toEqual([
      `unknown field "description"; ${SCHEMA} for the allowed fields`,
    ]);
  });
});

describe('readPlans: documents, aliases and locations', () => {
  it.each(['# only a comment\n', '', '---\n', '---\n---\n', '--- null\n'])('finds no plan in %j', (text) => {
    expect(problemsOf(text)).toEqual([
      { line: 1, column: 1, path: '', message: 'the file holds no plan document' },
    ]);
  });

  it('refuses more than 50 aliases, even of a plain value', () => {
    const text = `a: &x 1\nlist: [${Array(51).fill('*x').join(', ')}]\n`;
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({
        line: 1,
        path: '',
        message: expect.stringMatching(/^the YAML expands too far/),
      }),
    ]);
  });

  it('locates a problem inside an aliased block at the key that names the alias', () => {
    const text = yamlOf(awsPlanDoc()).replace(
      / {2}objectives:\n {4}rpo: 15m\n {4}rto: 60m\n/,
      '  objectives: *obj\n',
    );
    const withAnchor = `x-objectives: &obj\n  rpo: fifteen\n  rto: 60m\n${text}`;
    const problems = problemsOf(withAnchor);
    expect(problems).toContainEqual({
      line: lineOf(withAnchor, 'objectives: *obj'),
      column: 3,
      path: 'spec.objectives.rpo',
      message: expect.stringContaining('"fifteen" is not a duration'),
    });
  });

  it('says a list item of the wrong type matches no form, naming none', () => {
    const text = yamlOf(
      withPlan(awsPlanDoc(), (d) => {
        d.spec['triggers'] = ['case-api-health'];
      }),
    );
    expect(problemsOf(text)).toEqual([
      {
        line: lineOf(text, '- case-api-health'),
        column: expect.any(Number),
        path: 'spec.triggers[0]',
        message: `does not match any allowed form; ${SCHEMA}`,
      },
    ]);
  });

  it('does not take a union item with an unknown field for the form whose value is wrong', () => {
    const text = yamlOf(
      withPlan(awsPlanDoc(), (d) => {
        d.spec['triggers'] = [{ awsAlarm: 'case-api-health', colour: 'blue' }];
      }),
    );
    expect(problemsOf(text).map((p) => [p.path, p.message])).toEqual([
      ['spec.triggers[0]', `does not match any allowed form (expected one of: azureAlertRule); ${SCHEMA}`],
    ]);
  });
});
