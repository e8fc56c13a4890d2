import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import { PLAN_SET_FILE, readPlanSetJson } from '#shared/domain/plan-json.ts';
import { awsPlanDoc, loadPlan, withPlan } from '../../support/plans.ts';

describe('readPlanSetJson', () => {
  it('reads the same checked plans as the YAML loader', () => {
    expect(readPlanSetJson(JSON.stringify([awsPlanDoc()]), 'plans.json')).toEqual([loadPlan()]);
  });

  it.each([
    ['not JSON', '{', /plans\.json.*not JSON/],
    ['not an array', '{}', /expected a non-empty array of plan documents/],
    ['an empty array', '[]', /expected a non-empty array of plan documents/],
    [
      'a schema problem, located by index',
      JSON.stringify([withPlan(awsPlanDoc(), (d) => ((d.spec as Record<string, unknown>)['warnAt'] = 2))]),
      /\[0\]\.spec\.warnAt/,
    ],
    [
      'a name used twice',
      JSON.stringify([awsPlanDoc(), awsPlanDoc()]),
      /\[1\]\.metadata\.name.*defined twice/,
    ],
  ])('refuses %s', (_case, text, message) => {
    expect(() => readPlanSetJson(text, 'plans.json')).toThrow(InvalidPlanError);
    expect(() => readPlanSetJson(text, 'plans.json')).toThrow(message);
  });

  /** The problems `readPlanSetJson` reports for `text` (fails the test when it reads it). */
  const problemsOf = (text: string) => {
    try {
      readPlanSetJson(text, 'bundle/plans.json');
    } catch (error) {
      if (error instanceof InvalidPlanError) return error.problems;
      throw error;
    }
    throw new Error('the plan set was read');
  };
  const at = (path: string, message: string | ReturnType<typeof expect.stringMatching>) => ({
    file: 'bundle/plans.json',
    line: 1,
    column: 1,
    path,
    message,
  });

  it.each([
    ['not JSON', '{', at('', expect.stringMatching(/^not JSON: ./))],
    ['not an array', '{"metadata":{}}', at('', 'expected a non-empty array of plan documents')],
    ['an empty array', '[]', at('', 'expected a non-empty array of plan documents')],
  ])('locates %s at the set itself (no index, no field)', (_case, text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });

  it('locates a schema problem by document index, field and list position', () => {
    const broken = withPlan(awsPlanDoc('ledger'), (d) => {
      delete (d.spec.resources as Record<string, unknown>[])[1]!['name'];
    });
    expect(problemsOf(JSON.stringify([awsPlanDoc(), broken]))).toEqual([
      at('[1].spec.resources[1].name', expect.stringMatching(/./)),
    ]);
  });

  it('refuses a document that breaks a cross-field rule, located the same way', () => {
    const broken = withPlan(awsPlanDoc('ledger'), (d) => {
      (d.spec.resources as Record<string, unknown>[])[1]!['dependsOn'] = ['nope'];
    });
    expect(problemsOf(JSON.stringify([awsPlanDoc(), broken]))).toEqual([
      at(
        '[1].spec.resources[1].dependsOn[0]',
        'unknown dependency "nope"; expected one of: case-db, case-api',
      ),
    ]);
  });

  it('reports the problems of every document, not only the first', () => {
    const broken = (name: string) =>
      withPlan(awsPlanDoc(name), (d) => {
        (d.spec.resources as Record<string, unknown>[])[1]!['dependsOn'] = ['nope'];
      });
    expect(problemsOf(JSON.stringify([broken('a'), awsPlanDoc(), broken('b')])).map((p) => p.path)).toEqual([
      '[0].spec.resources[1].dependsOn[0]',
      '[2].spec.resources[1].dependsOn[0]',
    ]);
  });
});

describe('PLAN_SET_FILE', () => {
  it('is plans.json, the bundle path docs/deploy.md gives (/var/task/plans/plans.json)', () => {
    expect(PLAN_SET_FILE).toBe('plans.json');
  });
});
