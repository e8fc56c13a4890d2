/**
 * Reads plan text (YAML or JSON, one or more documents) into checked plans. Every problem names the
 * file, line and field, and says what is allowed. Pure: the caller reads the files.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, stringify } from 'yaml';
import type { z } from 'zod';
import { type InputProblem, InvalidPlanError } from './errors.ts';
import { buildPlan, type RecoveryPlan } from './plan.ts';
import { recoveryPlanSchema } from './plan-schema.ts';

/** A plan together with where it was read from. */
export interface LoadedPlan {
  readonly plan: RecoveryPlan;
  readonly file: string;
  readonly line: number;
}

/** One source text to read plans from. */
export interface PlanText {
  readonly file: string;
  readonly text: string;
}

/** A located YAML document, for mapping field paths back to lines. */
export interface LocatedDocument {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses YAML/JSON text into documents, collecting syntax errors as located problems. */
export function parseDocuments(source: PlanText): { documents: LocatedDocument[]; problems: InputProblem[] } {
  const lines = new LineCounter();
  // Stryker disable next-line BooleanLiteral: uniqueKeys is the yaml default; it is spelled out because a duplicate key must stay an error.
  const docs = parseAllDocuments(source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: InputProblem[] = [];
  // Stryker disable next-line ConditionalExpression,ArrayDeclaration: parseAllDocuments returns an array (its empty stream is one too); the check is for the type.
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    for (const error of doc.errors) {
      const pos = lines.linePos(error.pos[0]);
      problems.push({
        file: source.file,
        line: pos.line,
        column: pos.col,
        path: '',
        message: error.message.split('\n')[0]!,
      });
    }
  }
  return {
    documents: list.filter((d) => !isEmpty(d)).map((doc) => ({ file: source.file, doc, lines })),
    problems,
  };
}

/**
 * A document with nothing in it: yaml gives a bare `---` (or `--- null`) a null scalar — a parsed
 * document always has a contents node. It holds no plan, so it is left out as a comment-only file's is.
 */
const isEmpty = (d: Document): boolean => isScalar(d.contents) && d.contents.value === null;

/**
 * A map key as the plain data (and so zod's path) names it — what yaml's `toJS` makes of it: a
 * scalar's value, "" for an empty (null) key, a list or map key written as flow YAML.
 */
const keyName = (key: unknown): string =>
  isScalar(key)
    ? key.value === null
      ? ''
      : String(key.value)
    : stringify(key, { collectionStyle: 'flow' }).trimEnd();

/** Locates a field path in a document: the line of the deepest node that exists on the path. */
export function locate(
  located: LocatedDocument,
  path: readonly PropertyKey[],
): { line: number; column: number } {
  let node: unknown = located.doc.contents;
  // Stryker disable next-line OptionalChaining: documents without contents were left out, and parsed nodes have a range.
  let offset = (located.doc.contents as { range?: [number] } | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyName(p.key) === String(key));
      if (!pair) break;
      // Stryker disable next-line OptionalChaining: a key parsed from text has a range.
      const keyRange = (pair.key as { range?: [number] } | null)?.range;
      // Stryker disable next-line OptionalChaining: as above.
      offset = keyRange?.[0] ?? offset;
      node = pair.value;
      // Stryker disable next-line OptionalChaining: as above.
      const valueRange = (node as { range?: [number] } | null)?.range;
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,BooleanLiteral,OptionalChaining: the offset is already the key's start (set above), which is what this sets for a scalar value.
      if (valueRange && (isMap(node) || isSeq(node)) === false) offset = keyRange?.[0] ?? valueRange[0];
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      // Stryker disable next-line ConditionalExpression: a path zod reports names items that exist.
      if (item === undefined) break;
      node = item;
      // Stryker disable next-line OptionalChaining: an item parsed from text has a range.
      offset = (item as { range?: [number] } | null)?.range?.[0] ?? offset;
    } else break;
  }
  const pos = located.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Renders a field path as `spec.resources[2].dependsOn[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}

/** An issue saying the union item itself has a key this form does not know. */
const unknownKeyHere = (i: z.core.$ZodIssue): boolean =>
  i.code === 'unrecognized_keys' && i.path.length === 0;

/**
 * An issue saying a key this form requires is missing from the union item itself. Every union form of
 * today's schema is a strict object of one required key, so a form that misses its key also finds the
 * item's own key unknown (or the item is empty and every form misses its key): this check decides
 * nothing yet; it is kept for a form of more keys, some optional.
 */
// Stryker disable next-line ArrowFunction: see above — no input of today's schema tells the check from none.
const missingKeyHere = (i: z.core.$ZodIssue): boolean =>
  i.code === 'invalid_type' && i.path.length === 1 && i.message.includes('received undefined');

/**
 * A union reports "no form matched" and hides why. When exactly one form has the keys the input
 * uses (no unknown or missing key on the item itself), that form was meant: report its issues, at
 * their full paths. A problem deeper down (`teams: {}` without its `webhookUrl`) is one of the meant
 * form's own, not a sign another form was meant.
 */
function meantForm(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const keysFit = (list: z.core.$ZodIssue[]) => list.every((i) => !unknownKeyHere(i) && !missingKeyHere(i));
  const meant = issue.errors.filter(keysFit);
  if (meant.length !== 1) return [issue];
  return meant[0]!.flatMap((i) => meantForm({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

/** zod's words for a strict bound (`gt`, `lt`). */
const STRICTLY = {
  too_small: 'more than',
  // Stryker disable next-line StringLiteral: no field of today's schema has a strict upper bound (lt); the words are kept for the field that will.
  too_big: 'less than',
} as const;

/** What a size bound counts, by what zod measured. */
const UNITS = new Map([
  ['string', ' characters'],
  // Stryker disable next-line StringLiteral,ArrayDeclaration: every list bound of today's schema says its own words (min(1, { error })); this is kept for the bound that will not.
  ['array', ' entries'],
]);

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'too_big':
    case 'too_small': {
      // A message the schema wrote itself says it better; zod's own ("Too big: …<=1") is replaced.
      // Stryker disable next-line Regex: zod's own messages start with these words, and no message the schema writes holds them anywhere.
      if (!/^Too (big|small)/.test(issue.message)) return issue.message;
      const bound = issue.code === 'too_big' ? issue.maximum : issue.minimum;
      const word = issue.code === 'too_big' ? 'at most' : 'at least';
      const strictly = issue.inclusive === false ? STRICTLY[issue.code] : word;
      const unit = UNITS.get(issue.origin) ?? '';
      const got =
        typeof received === 'string' || Array.isArray(received)
          ? `has ${received.length}${unit}`
          : `is ${JSON.stringify(received)}`;
      return `${got}; it must be ${strictly} ${String(bound)}${unit}`;
    }
    case 'invalid_value':
      // Stryker disable next-line Regex: zod's message starts with these words (its options, named after them, are the schema's own).
      return `${issue.message.replace(/^Invalid (option|input): /, '')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; see schema/recovery-plan.schema.json for the allowed fields`;
    case 'invalid_union': {
      const forms = issue.errors.flatMap((list) =>
        list.filter((i) => i.code === 'invalid_type' && i.path.length === 1).map((i) => String(i.path[0])),
      );
      return `does not match any allowed form${forms.length > 0 ? ` (expected one of: ${forms.join(', ')})` : ''}; see schema/recovery-plan.schema.json`;
    }
    case 'invalid_type':
      return issue.message.includes('received undefined')
        ? `is required (${issue.message.replace('Invalid input: ', '').replace(', received undefined', '')})`
        : issue.message.replace('Invalid input: ', '');
    default:
      return issue.message;
  }
}

/** The value at `path` in plain data, if there is one. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = value;
  for (const key of path) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: zod reports an issue at the first value of the wrong type, so every value above it on the path is an object or an array.
    at = at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return at;
}

/** Aliases a plan may use: a handful is plenty; a "billion laughs" document is refused, not expanded. */
const MAX_ALIASES = 50;

/** The document as plain data, or why it cannot be: an alias bomb gives a located error, not a stack. */
function toPlainData(located: LocatedDocument): { value: unknown } | { problem: string } {
  try {
    return { value: located.doc.toJS({ maxAliasCount: MAX_ALIASES }) };
  } catch (error) {
    return {
      problem: `the YAML expands too far (more than ${MAX_ALIASES} aliases, or aliases of aliases); write the values out: ${(error as Error).message}`,
    };
  }
}

/** A world file has `clock`/`aws`/`azure` at the top and no `kind`: say so instead of five schema errors. */
function isWorldDocument(value: unknown): boolean {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: a null document was left out as empty, and the keys of a string, number or list name no kind, clock, aws or azure; the guard keeps Object.keys to objects.
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !keys.includes('kind') && ['clock', 'aws', 'azure'].some((k) => keys.includes(k));
}

/**
 * Reads every plan in the given texts. Throws {@link InvalidPlanError} listing every problem in every
 * file when any plan is invalid or two plans share an application name; otherwise returns the plans.
 */
export function readPlans(sources: readonly PlanText[]): LoadedPlan[] {
  const problems: InputProblem[] = [];
  const loaded: LoadedPlan[] = [];
  const seen = new Map<string, LoadedPlan>();
  for (const source of sources) {
    const parsed = parseDocuments(source);
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) continue;
    if (parsed.documents.length === 0)
      problems.push({
        file: source.file,
        line: 1,
        column: 1,
        path: '',
        message: 'the file holds no plan document',
      });
    for (const located of parsed.documents) {
      const at = (path: readonly PropertyKey[], message: string): InputProblem => ({
        file: source.file,
        ...locate(located, path),
        path: formatPath(path),
        message,
      });
      const js = toPlainData(located);
      if ('problem' in js) {
        problems.push(at([], js.problem));
        continue;
      }
      if (isWorldDocument(js.value)) {
        problems.push(
          at(
            [],
            'this is a world file (the simulated cloud: clock, aws, azure), not a plan; give it with --world, and plans with --plan',
          ),
        );
        continue;
      }
      const result = recoveryPlanSchema.safeParse(js.value);
      if (!result.success) {
        for (const issue of result.error.issues.flatMap(meantForm)) {
          // Point unknown keys at the key itself rather than at the object that holds it.
          const path =
            issue.code === 'unrecognized_keys' && issue.keys.length === 1
              ? [...issue.path, issue.keys[0]!]
              : issue.path;
          problems.push(at(path, describeIssue(issue, valueAt(js.value, issue.path))));
        }
        continue;
      }
      const built = buildPlan(result.data);
      if ('problems' in built) {
        for (const p of built.problems) problems.push(at(p.path, p.message));
        continue;
      }
      // Stryker disable next-line ArrayDeclaration: a path key the document does not have locates its root all the same.
      const entry = { plan: built.plan, file: source.file, line: locate(located, []).line };
      const earlier = seen.get(built.plan.name);
      if (earlier)
        problems.push(
          at(
            ['metadata', 'name'],
            `application "${built.plan.name}" is already defined at ${earlier.file}:${earlier.line}; names are unique across the plan set`,
          ),
        );
      else {
        seen.set(built.plan.name, entry);
        loaded.push(entry);
      }
    }
  }
  if (problems.length > 0) throw new InvalidPlanError(problems);
  return loaded;
}
