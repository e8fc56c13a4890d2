/**
 * Which form of a union a plan item was meant as, and where `readPlans` locates a problem whose path
 * runs through an alias or names an unusual key (an empty key, a list or map written as a key).
 */

import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { awsPlanDoc, ids, problemsInText, withPlan } from '../../support/plans.ts';

const SCHEMA = 'see schema/recovery-plan.schema.json';
const lineOf = (text: string, fragment: string) =>
  text.split('\n').findIndex((l) => l.includes(fragment)) + 1;
/** Where `fragment` starts in `text`: its line and column, both from 1. */
const at = (text: string, fragment: string) => {
  const line = lineOf(text, fragment);
  return { line, column: text.split('\n')[line - 1]!.indexOf(fragment) + 1 };
};
const withNotify = (notify: unknown[]) =>
  stringify(
    withPlan(awsPlanDoc(), (d) => {
      d.spec['failover'] = { mode: 'approval', approval: { notify, timeout: '30m' } };
    }),
  );
const NOTIFY = 'spec.failover.approval.notify[0]';

describe('readPlans: the union form an item was meant as', () => {
  it.each<[string, unknown, [string, string][]]>([
    [
      'a teams target without its webhookUrl: the teams form, its missing field named',
      { teams: {} },
      [[`${NOTIFY}.teams.webhookUrl`, 'is required (expected string)']],
    ],
    [
      'a teams target that is null: the teams form, its wrong type named',
      { teams: null },
      [[`${NOTIFY}.teams`, 'expected object, received null']],
    ],
    [
      'a teams target with a wrong webhookUrl and an unknown field: both, in the teams form',
      { teams: { webhookUrl: 5, colour: 'blue' } },
      [
        [`${NOTIFY}.teams.webhookUrl`, 'expected string, received number'],
        [`${NOTIFY}.teams.colour`, `unknown field "colour"; ${SCHEMA} for the allowed fields`],
      ],
    ],
    [
      'an sns target with an unknown field beside it: no form',
      { sns: 'dr-approvals', colour: 'blue' },
      [[NOTIFY, `does not match any allowed form (expected one of: teams); ${SCHEMA}`]],
    ],
    [
      'an empty target: no form, both named',
      {},
      [[NOTIFY, `does not match any allowed form (expected one of: sns, teams); ${SCHEMA}`]],
    ],
    [
      'a target naming both forms: no form, none named',
      { sns: ids.topic, teams: { webhookUrl: 'env:TEAMS_WEBHOOK_URL' } },
      [[NOTIFY, `does not match any allowed form; ${SCHEMA}`]],
    ],
  ])('reads %s', (_case, target, expected) => {
    expect(problemsInText(withNotify([target])).map((p) => [p.path, p.message])).toEqual(expected);
  });

  it('locates the problems of the meant form at their own lines', () => {
    const text = withNotify([{ teams: { webhookUrl: 5, colour: 'blue' } }]);
    expect(problemsInText(text).map((p) => p.line)).toEqual([
      lineOf(text, 'webhookUrl: 5'),
      lineOf(text, 'colour: blue'),
    ]);
  });
});

describe('readPlans: locations through aliases and unusual keys', () => {
  const plan = (change: (text: string) => string) => change(stringify(awsPlanDoc(), { lineWidth: 0 }));

  it('locates a wrong item of an aliased list at the key that names the alias', () => {
    const text = plan((t) =>
      t
        .replace('dependsOn:\n        - case-db', 'dependsOn: *deps')
        .replace('  owner: platform-team', '  owner: &deps [5]'),
    );
    expect(problemsInText(text)).toEqual([
      {
        ...at(text, 'owner: &deps'),
        path: 'metadata.owner',
        message: 'expected string, received array',
      },
      {
        ...at(text, 'dependsOn: *deps'),
        path: 'spec.resources[1].dependsOn[0]',
        message: 'expected string, received number',
      },
    ]);
  });

  it.each<[string, string, string, string]>([
    ['an empty key', '  : blue', 'metadata.', '""'],
    ['a null key', '  ~: blue', 'metadata.', '""'],
    [
      'a list written as a key',
      '  ? [colour, size]\n  : blue',
      'metadata.[ colour, size ]',
      '"[ colour, size ]"',
    ],
    [
      'a list written in block style as a key',
      '  ? - colour\n    - size\n  : blue',
      'metadata.[ colour, size ]',
      '"[ colour, size ]"',
    ],
    [
      'a map written as a key',
      '  ? { colour: blue }\n  : blue',
      'metadata.{ colour: blue }',
      '"{ colour: blue }"',
    ],
  ])('locates %s the plan does not know at its own line', (_case, key, path, name) => {
    const text = plan((t) => t.replace('  owner: platform-team', `  owner: platform-team\n${key}`));
    expect(problemsInText(text).map(({ line, path, message }) => ({ line, path, message }))).toEqual([
      {
        line: lineOf(text, key.split('\n')[0]!),
        path,
        message: `unknown field ${name}; ${SCHEMA} for the allowed fields`,
      },
    ]);
  });
});
