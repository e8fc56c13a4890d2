import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import { readPlanSetJson } from '#shared/domain/plan-json.ts';
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
});
