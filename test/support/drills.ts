/** A plan that can be drilled: drill names for both resources and a drill target for its probe. */
import { awsPlanDoc, loadPlan, withPlan } from './plans.ts';

/** Where the drilled copy of the test plan answers its probe. */
export const DRILL_URL = 'https://case-api.drill.example.com/internal/health';

/** The test plan with drill names (`<resource>-drill`) and a drill URL, changed by `change`. */
export const drillable = (change: (d: ReturnType<typeof awsPlanDoc>) => void = () => {}) =>
  loadPlan(
    withPlan(awsPlanDoc(), (d) => {
      for (const r of d.spec.resources as { name: string; drill?: unknown }[])
        r.drill = { metadata: { DBInstanceIdentifier: `${r.name}-drill` } };
      (d.spec.validate as { http: Record<string, unknown> }[])[0]!.http['drillUrl'] = DRILL_URL;
      change(d);
    }),
  );
