/**
 * The plan set as the deployed functions read it: one JSON array of plan documents, written at synth
 * from plan files that were read and checked there (`cdk/constructs/standby-function.ts`). Each
 * document is checked again (schema and cross-field rules) — a bundle is not trusted blindly — but
 * with no YAML parser: a Lambda bundle carries none (cdk/bundling.ts).
 */
import { type InputProblem, InvalidPlanError } from './errors.ts';
import { buildPlan, type RecoveryPlan } from './plan.ts';
import { recoveryPlanSchema } from './plan-schema.ts';

/** The file name of the plan set inside a function bundle. */
export const PLAN_SET_FILE = 'plans.json';

const pathOf = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`),
    '',
  );

/**
 * The checked plans of a JSON plan set (`file` names it in errors). Throws {@link InvalidPlanError}
 * with every problem found, each at `[<index>].<field>`.
 */
export function readPlanSetJson(text: string, file: string): RecoveryPlan[] {
  const problem = (
    index: number | undefined,
    path: readonly PropertyKey[],
    message: string,
  ): InputProblem => ({
    file,
    line: 1,
    column: 1,
    path: `${index === undefined ? '' : `[${index}]`}${pathOf(path)}`,
    message,
  });
  let documents: unknown;
  try {
    documents = JSON.parse(text);
  } catch (error) {
    throw new InvalidPlanError([problem(undefined, [], `not JSON: ${(error as Error).message}`)]);
  }
  if (!Array.isArray(documents) || documents.length === 0)
    throw new InvalidPlanError([problem(undefined, [], 'expected a non-empty array of plan documents')]);
  const problems: InputProblem[] = [];
  const plans: RecoveryPlan[] = [];
  const names = new Set<string>();
  documents.forEach((doc, i) => {
    const parsed = recoveryPlanSchema.safeParse(doc);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(problem(i, issue.path, issue.message));
      return;
    }
    const built = buildPlan(parsed.data);
    if ('problems' in built) {
      for (const p of built.problems) problems.push(problem(i, p.path, p.message));
      return;
    }
    if (names.has(built.plan.name))
      problems.push(problem(i, ['metadata', 'name'], `application "${built.plan.name}" is defined twice`));
    names.add(built.plan.name);
    plans.push(built.plan);
  });
  if (problems.length > 0) throw new InvalidPlanError(problems);
  return plans;
}
