import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanSet } from '#platform/plan-files.ts';
import { InvalidPlanError } from '#shared/domain/errors.ts';

const root = resolve(import.meta.dirname, '../..');

describe('loadPlanSet', () => {
  it('reads every plan of a directory in name order', async () => {
    const plans = await loadPlanSet([resolve(root, 'examples/plans')]);
    expect(plans.map((p) => p.name)).toEqual(['case-management', 'citizen-portal', 'payments']);
  });

  it('names a path that does not exist', async () => {
    await expect(loadPlanSet(['/nonexistent/plans'], 'STANDBY_PLANS_PATH')).rejects.toThrow(
      /STANDBY_PLANS_PATH \/nonexistent\/plans cannot be read \(no such file or directory \[ENOENT\]\)/,
    );
  });

  it('rejects an invalid plan with its file and line', async () => {
    const file = resolve(root, 'package.json');
    const load = loadPlanSet([file]);
    await expect(load).rejects.toThrow(InvalidPlanError);
    await expect(load).rejects.toMatchObject({
      problems: expect.arrayContaining([
        { file, line: 1, column: 1, path: 'apiVersion', message: 'expected "standby/v1"' },
      ]),
    });
  });
});
