/**
 * A small checker of values against Swagger 2.0 definitions (the subset the Azure REST API specs use
 * for responses: `type`, `properties`, `required`, `enum`, `format: date-time`, `items`, `$ref` to
 * `#/definitions/…`, `allOf`). Unlike the specs, it also refuses properties a definition does not
 * declare, so a field the simulation invents is caught. Returns one message per problem, with a path.
 */
export interface SwaggerSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, SwaggerSchema>>;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly items?: SwaggerSchema;
  readonly $ref?: string;
  readonly allOf?: readonly SwaggerSchema[];
}

type Definitions = Readonly<Record<string, SwaggerSchema>>;

const TYPES: Readonly<Record<string, (v: unknown) => boolean>> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number',
};

function resolve(schema: SwaggerSchema, definitions: Definitions): SwaggerSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const found = definitions[name];
  if (!found) throw new Error(`no definition ${name}`);
  return resolve(found, definitions);
}

/** Every property and required name of `schema` and the definitions it extends (`allOf`). */
function flatten(schema: SwaggerSchema, definitions: Definitions): SwaggerSchema {
  const own = resolve(schema, definitions);
  const bases = (own.allOf ?? []).map((b) => flatten(b, definitions));
  const declared = [...bases, own].filter((b) => b.properties !== undefined);
  return {
    ...own,
    // An object without declared properties (`{ "type": "object" }`) is open: its keys are not checked.
    ...(declared.length > 0 ? { properties: Object.assign({}, ...declared.map((b) => b.properties)) } : {}),
    required: [...bases.flatMap((b) => b.required ?? []), ...(own.required ?? [])],
  };
}

/** Problems of `value` against definition `name`. */
export function checkAgainst(value: unknown, name: string, definitions: Definitions): string[] {
  return check(value, { $ref: `#/definitions/${name}` }, definitions, name);
}

function check(value: unknown, schema: SwaggerSchema, definitions: Definitions, path: string): string[] {
  const s = flatten(schema, definitions);
  const problems: string[] = [];
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (type && !TYPES[type]?.(value)) return [`${path}: expected ${type}, got ${JSON.stringify(value)}`];
  if (s.enum && !s.enum.includes(value))
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${s.enum.join(', ')}`);
  if (s.format === 'date-time' && Number.isNaN(Date.parse(String(value))))
    problems.push(`${path}: "${String(value)}" is not a date-time`);
  if (type === 'array' && s.items)
    (value as unknown[]).forEach((v, i) => {
      problems.push(...check(v, s.items!, definitions, `${path}[${i}]`));
    });
  if (type === 'object' && s.properties) {
    const record = value as Record<string, unknown>;
    for (const key of s.required ?? [])
      if (!(key in record)) problems.push(`${path}.${key}: required, missing`);
    for (const [key, v] of Object.entries(record)) {
      const property = s.properties[key];
      if (!property) problems.push(`${path}.${key}: not in the definition`);
      else problems.push(...check(v, property, definitions, `${path}.${key}`));
    }
  }
  return problems;
}
