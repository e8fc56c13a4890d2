/**
 * `npm run template:azure -- [--plans PATH] [--region REGION] [--out FILE]`: writes the ARM template
 * of the Azure controller of a recovery region, generated from the plans (azure/infra/template.ts).
 * Default output: `dist/azure-template.json`. Deploy it with `az deployment group create`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { controllerTemplate } from '#azure/infra/template.ts';
import { loadPlanSet } from '#platform/plan-files.ts';
import { normalizeRegion } from '#shared/domain/freshness.ts';

const { values } = parseArgs({
  options: {
    plans: { type: 'string', multiple: true },
    region: { type: 'string' },
    out: { type: 'string', default: 'dist/azure-template.json' },
  },
});
try {
  const plans = await loadPlanSet(values.plans ?? [process.env['STANDBY_PLAN'] ?? 'plans']);
  const regions = [
    ...new Set(
      plans.filter((p) => p.recovery.cloud === 'azure').map((p) => normalizeRegion(p.recovery.region)),
    ),
  ];
  const region = values.region ?? (regions.length === 1 ? regions[0] : undefined);
  if (!region)
    throw new Error(`--region is needed: the plans recover on Azure in ${regions.join(', ') || 'no region'}`);
  const template = controllerTemplate({ plans, region });
  await mkdir(dirname(resolve(values.out)), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(template, null, 2)}\n`);
  process.stdout.write(`wrote the ${region} controller template to ${values.out}\n`);
} catch (error) {
  process.stderr.write(`template:azure: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
