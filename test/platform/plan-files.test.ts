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
      /STANDBY_PLANS_PATH \/nonexistent\/plans cannot be read \(ENOENT\)/,
    );
  });

  it('rejects an invalid plan with its file and line', async () => {
    await expect(loadPlanSet([resolve(root, 'package.json')])).rejects.toThrow(InvalidPlanError);
  });
});
