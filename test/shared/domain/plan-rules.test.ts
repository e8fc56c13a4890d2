/**
 * `buildPlan` rules whose location, boundary or cost matters, stated through the real loader: where a
 * cycle or a literal secret is reported, the 24h approval limit, probe flags, and a dependency graph
 * that must be searched once, not once per path.
 */
import { describe, expect, it } from 'vitest';
import { InvalidPlanError } from '#shared/domain/errors.ts';
import { findCycle } from '#shared/domain/plan.ts';
import { readPlans } from '#shared/domain/plan-file.ts';
import {
  awsPlanDoc,
  awsResource,
  azurePlanDoc,
  loadPlan,
  type PlanDoc,
  planYaml,
  withPlan,
} from '../../support/plans.ts';

function problemsOf(doc: PlanDoc): { path: string; message: string }[] {
  try {
    readPlans([{ file: 'plan.yaml', text: planYaml(doc) }]);
    return [];
  } catch (error) {
    if (error instanceof InvalidPlanError)
      return error.problems.map(({ path, message }) => ({ path, message }));
    throw error;
  }
}
const withResources = (...resources: Record<string, unknown>[]) =>
  withPlan(awsPlanDoc(), (d) => {
    d.spec.resources = resources;
  });

describe('buildPlan: dependency rules', () => {
  it('reports a cycle at the first resource of the cycle, not at the first resource of the plan', () => {
    const doc = withResources(
      awsResource('case-db'),
      awsResource('case-api', { dependsOn: ['case-web'] }),
      awsResource('case-web', { dependsOn: ['case-api'] }),
    );
    expect(problemsOf(doc)).toEqual([
      {
        path: 'spec.resources[1].dependsOn',
        message: 'dependsOn forms a cycle: case-api → case-web → case-api',
      },
    ]);
  });

  it('reports a self-dependency once, not also as a cycle', () => {
    const doc = withResources(awsResource('case-db', { dependsOn: ['case-db'] }));
    expect(problemsOf(doc)).toEqual([
      { path: 'spec.resources[0].dependsOn[0]', message: 'resource "case-db" depends on itself' },
    ]);
  });
});

describe('buildPlan: approval and probes', () => {
  it.each([
    ['24h', []],
    [
      '1441m',
      [
        {
          path: 'spec.failover.approval.timeout',
          message:
            'approval timeout is 1441m; at most 24h is allowed (an approval token lives as long, and a failover should not wait longer for a human)',
        },
      ],
    ],
  ])('an approval timeout of %s is allowed when at most 24h', (timeout, problems) => {
    const doc = withPlan(azurePlanDoc(), (d) => {
      (d.spec.failover as { approval: { timeout: string } }).approval.timeout = timeout;
    });
    expect(problemsOf(doc)).toEqual(problems);
  });

  it('keeps a probe’s journey flag only when it is set', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      d.spec.validate = [
        { http: { url: 'https://case-api.dr.example.com/journey', journey: true } },
        { http: { url: 'https://case-api.dr.example.com/health' } },
      ];
    });
    const [journey, health] = loadPlan(doc).validate;
    expect(journey).toMatchObject({ journey: true });
    expect(health).not.toHaveProperty('journey');
  });
});

describe('buildPlan: literal secrets', () => {
  it('reports a literal secret at its full path below spec', () => {
    const doc = withPlan(awsPlanDoc(), (d) => {
      const r = (d.spec.resources as { awsBackup: { restore: { metadata: Record<string, string> } } }[])[0]!;
      r.awsBackup.restore.metadata.MasterUserPassword = 'hunter2-but-longer';
    });
    expect(problemsOf(doc)).toContainEqual({
      path: 'spec.resources[0].awsBackup.restore.metadata.MasterUserPassword',
      message: expect.stringContaining('"MasterUserPassword" holds a literal secret'),
    });
  });
});

describe('findCycle', () => {
  const r = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

  it('returns only the cycle, not the path that led to it', () => {
    expect(findCycle([r('a', 'b'), r('b', 'c'), r('c', 'b')])).toEqual(['b', 'c', 'b']);
  });

  it('searches a graph of many shared dependencies once, not once per path (40 diamond levels)', () => {
    const levels = 40;
    const resources = [r('l0a'), r('l0b')];
    for (let i = 1; i < levels; i++)
      resources.push(r(`l${i}a`, `l${i - 1}a`, `l${i - 1}b`), r(`l${i}b`, `l${i - 1}a`, `l${i - 1}b`));
    const started = performance.now();
    expect(findCycle(resources.reverse())).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
