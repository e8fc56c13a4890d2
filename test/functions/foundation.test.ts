import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foundation, readAwsEnvironment } from '#functions/foundation.ts';
import { InvalidInputError, InvalidPlanError } from '#shared/domain/errors.ts';
import { planSetJson } from '../../cdk/stacks/standby-stack.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'standby-foundation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const envWith = (plansPath: string) =>
  readAwsEnvironment({
    STANDBY_PLANS_PATH: plansPath,
    STATE_TABLE: 'standby-state',
    AWS_REGION: 'eu-central-1',
    APPROVAL_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:standby-approval-key',
  });

describe('foundation', () => {
  it('reads the JSON plan set the CDK bundles, and owns the plans of its region', async () => {
    const file = join(dir, 'plans.json');
    writeFileSync(
      file,
      planSetJson([
        join(root, 'examples/plans/case-management.yaml'),
        join(root, 'examples/plans/payments.yaml'),
      ]),
    );
    const base = await foundation(envWith(file));
    expect(base.plans.map((p) => p.name)).toEqual(['case-management', 'payments']);
    expect(base.ownPlans.map((p) => p.name)).toEqual(['case-management', 'payments']);
  });

  it('gives clients of an account with a named role its assumed credentials, and others the function’s own', async () => {
    const file = join(dir, 'payments.json');
    writeFileSync(file, planSetJson([join(root, 'examples/plans/payments.yaml')]));
    const base = await foundation(envWith(file));
    expect(base.credentialsOf('444455556666')).toEqual({ credentials: expect.any(Function) });
    expect(base.credentialsOf('111122223333')).toEqual({});
    expect(base.credentialsOf(undefined)).toEqual({});
  });

  it.each([
    [
      'a missing plan set',
      'missing.json',
      InvalidInputError,
      /STANDBY_PLANS_PATH .*missing\.json cannot be read \(ENOENT\)/,
    ],
    [
      'a YAML file where JSON is expected',
      '../../examples/plans/payments.yaml',
      InvalidPlanError,
      /not JSON/,
    ],
  ])('refuses %s', async (_case, name, type, message) => {
    const path = name.startsWith('..') ? join(root, 'examples/plans/payments.yaml') : join(dir, name);
    await expect(foundation(envWith(path))).rejects.toThrow(type);
    await expect(foundation(envWith(path))).rejects.toThrow(message);
  });
});
