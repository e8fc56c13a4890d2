import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPlans } from '#shared/domain/plan-file.ts';
import { renderRecoveryPlanSchema, SCHEMA_ID, SCHEMA_PATH } from '../scripts/generate-schema.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = 'examples/plans';

// biome-ignore lint/suspicious/noExplicitAny: walking an arbitrary JSON Schema document.
type Json = any;

describe('schema/recovery-plan.schema.json', () => {
  const committed = readFileSync(join(ROOT, SCHEMA_PATH), 'utf8');

  it('is what the zod schema generates now (run `npm run schema` when this fails)', () => {
    expect(committed).toBe(renderRecoveryPlanSchema());
  });

  it('is a draft 2020-12 schema with an $id and a title, ending in a newline', () => {
    const schema: Json = JSON.parse(committed);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(SCHEMA_ID);
    expect(schema.title).toBe('Standby RecoveryPlan');
    expect(committed.endsWith('}\n')).toBe(true);
  });

  it('describes the input a user writes: fields with defaults are optional', () => {
    const spec: Json = JSON.parse(committed).properties.spec;
    expect(spec.required).toEqual(['objectives', 'primary', 'recovery', 'failover', 'resources']);
    expect(spec.properties.warnAt).toMatchObject({ default: 0.8, exclusiveMinimum: 0, maximum: 1 });
    expect(spec.properties.failover.required).toEqual(['mode']);
    expect(spec.properties.failover.properties.requireFreshBackups.default).toBe(true);
    expect(spec.additionalProperties).toBe(false);
  });

  it('gives editors the duration pattern', () => {
    const rpo: Json = JSON.parse(committed).properties.spec.properties.objectives.properties.rpo;
    expect(rpo.pattern).toBe('^[1-9][0-9]*[smhd]$');
    expect(new RegExp(rpo.pattern).test('15m')).toBe(true);
    expect(new RegExp(rpo.pattern).test('fifteen')).toBe(false);
  });
});

describe('examples/plans', () => {
  // No JSON Schema validator is installed, so the examples are checked by the loader that
  // enforces strictly more than the schema (the schema plus every cross-field rule).
  const files = (() => {
    try {
      return readdirSync(join(ROOT, EXAMPLES))
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort();
    } catch {
      return undefined;
    }
  })();

  it('exists and holds plan files', () => {
    expect(files, `${EXAMPLES}/ is missing: the example plans belong there`).toBeDefined();
    expect(files?.length, `${EXAMPLES}/ holds no .yaml/.yml/.json plan`).toBeGreaterThan(0);
  });

  it.each(files ?? [])('%s is a valid plan set', (file) => {
    const text = readFileSync(join(ROOT, EXAMPLES, file), 'utf8');
    const loaded = readPlans([{ file: `${EXAMPLES}/${file}`, text }]);
    expect(loaded.length).toBeGreaterThan(0);
  });

  it('holds no application name twice across files', () => {
    const sources = (files ?? []).map((f) => ({
      file: `${EXAMPLES}/${f}`,
      text: readFileSync(join(ROOT, EXAMPLES, f), 'utf8'),
    }));
    expect(() => readPlans(sources)).not.toThrow();
  });
});

describe('docs/plan-reference.md', () => {
  it('shows a complete example that is a valid plan', () => {
    const text = readFileSync(join(ROOT, 'docs/plan-reference.md'), 'utf8');
    const examples = [...text.matchAll(/```yaml\n(apiVersion: standby\/v1[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples)
      expect(readPlans([{ file: 'docs/plan-reference.md', text: example }])).toHaveLength(1);
  });
});
