/**
 * Writes `schema/recovery-plan.schema.json` from the zod schema of the plan (`npm run schema`), so
 * editors can complete and check plan files. The zod schema is the source of truth; this file is
 * generated and committed, and `test/schema.test.ts` fails when it is stale.
 *
 * The output is stable: keywords in one fixed order, properties in the order the plan declares them,
 * formatted by Biome itself so `biome check .` accepts the committed file as it is.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { recoveryPlanSchema } from '#shared/domain/plan-schema.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the schema is committed, relative to the repository root. */
export const SCHEMA_PATH = 'schema/recovery-plan.schema.json';

/** The `$id` editors and `yaml-language-server: $schema=` comments refer to. */
export const SCHEMA_ID = 'https://standby.dev/schema/recovery-plan.schema.json';

// Keywords first in this order, any other keyword after them alphabetically.
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'default',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  '$defs',
];
// Objects whose keys are names chosen by the plan (field names), not keywords: keep their order.
const NAME_MAPS = new Set(['properties', '$defs']);

function ordered(value: unknown, keysAreNames = false): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!keysAreNames)
    entries.sort(([a], [b]) => {
      const [ia, ib] = [KEYWORD_ORDER.indexOf(a), KEYWORD_ORDER.indexOf(b)];
      if (ia >= 0 || ib >= 0)
        return (ia < 0 ? Number.MAX_SAFE_INTEGER : ia) - (ib < 0 ? Number.MAX_SAFE_INTEGER : ib);
      return a.localeCompare(b);
    });
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v, !keysAreNames && NAME_MAPS.has(k))]));
}

/** Formats JSON text exactly as the repository's Biome configuration does. */
function formatWithBiome(json: string): string {
  return execFileSync(
    join(ROOT, 'node_modules', '.bin', 'biome'),
    ['format', `--stdin-file-path=${SCHEMA_PATH}`],
    {
      cwd: ROOT,
      input: json,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
}

/**
 * The JSON Schema text of a plan document: zod's `toJSONSchema` of the input side (so fields with
 * defaults are optional, as a user writes them), with `$id` and `title`, keys in a stable order,
 * Biome-formatted, ending in a newline.
 */
export function renderRecoveryPlanSchema(): string {
  const generated = z.toJSONSchema(recoveryPlanSchema, {
    io: 'input',
    target: 'draft-2020-12',
    // Refinements (ARN and Azure id syntax, duration values) are not expressible; they still apply.
    unrepresentable: 'throw',
  });
  const schema = ordered({ ...generated, $id: SCHEMA_ID, title: 'Standby RecoveryPlan' });
  const text = formatWithBiome(JSON.stringify(schema, null, 2));
  return text.endsWith('\n') ? text : `${text}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(join(ROOT, SCHEMA_PATH), renderRecoveryPlanSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
