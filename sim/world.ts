/**
 * World files (SPEC §6): a simulated cloud described in the providers' own API shapes. Times may be
 * written as ISO-8601, epoch seconds (as on the AWS wire) or relative to `clock` (`-8m`, `+1h`); the
 * loader resolves them into the form each provider's wire uses: epoch seconds for AWS, ISO-8601
 * for Azure. Unknown keys are kept as they are, so records can be copied verbatim from API responses.
 */
import { LineCounter, parseDocument } from 'yaml';
import * as z from 'zod';
import { parseDuration } from '#shared/domain/duration.ts';
import { type InputProblem, InvalidWorldError } from '#shared/domain/errors.ts';
import { formatPath, type LocatedDocument, locate } from '#shared/domain/plan-file.ts';
import { nearestOperations, simulatedOperations } from './operations.ts';

/**
 * A record in its provider's API shape, taken as it is: an object, checked for being one and not
 * copied (a world of 100,000 points would otherwise be rebuilt key by key).
 */
const record = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date),
  { error: 'expected an object (a record in its API shape)' },
);
/** Simulated restore durations when a world does not say: Azure Backup restores take longer than AWS's. */
const AWS_RESTORE_SECONDS = 600;
const AZURE_RESTORE_SECONDS = 900;
/** Simulated restore jobs; one default per cloud, the same whether the cloud's block is written or not. */
const restoreBehaviour = (durationSeconds: number) =>
  z
    .strictObject({
      durationSeconds: z.number().int().min(0).default(durationSeconds),
      /** Resource ARNs / Azure ids (or plan resource names) whose restore jobs fail. */
      fail: z.array(z.string()).default([]),
    })
    .default({ durationSeconds, fail: [] });

/** How long a simulated DB instance takes to become available after CreateDBInstance. */
const AWS_INSTANCE_SECONDS = 300;
/** AWS restores: as {@link restoreBehaviour}, plus the creation time of cluster instances. */
const awsRestoreBehaviour = z
  .strictObject({
    durationSeconds: z.number().int().min(0).default(AWS_RESTORE_SECONDS),
    fail: z.array(z.string()).default([]),
    instanceSeconds: z.number().int().min(0).default(AWS_INSTANCE_SECONDS),
  })
  .default({ durationSeconds: AWS_RESTORE_SECONDS, fail: [], instanceSeconds: AWS_INSTANCE_SECONDS });

/** How an operation is named in `faults` and `limits`: `service:Operation`. */
const OPERATION_NAME = /^[a-z0-9-]+:[A-Za-z0-9_]+$/;

const worldSchema = z.strictObject({
  clock: z.union([z.string(), z.number(), z.date()]).optional(),
  aws: z
    .strictObject({
      /** Backup vaults, as in ListBackupVaults (BackupVaultName, BackupVaultArn): vaults that exist even when empty. */
      backupVaults: z.array(record).default([]),
      recoveryPoints: z.array(record).default([]),
      backupJobs: z.array(record).default([]),
      copyJobs: z.array(record).default([]),
      restoreJobs: z.array(record).default([]),
      route53: z
        .strictObject({
          hostedZones: z.array(record).default([]),
          resourceRecordSets: z.array(record).default([]),
        })
        .default({ hostedZones: [], resourceRecordSets: [] }),
      routingControls: z.array(record).default([]),
      /** SNS topics that exist (ARNs); empty: any topic exists. */
      snsTopics: z.array(z.string()).default([]),
      /** Messages published to SNS, as the simulation received them (filled by the simulation). */
      snsMessages: z.array(record).default([]),
      /** GetRecoveryPointRestoreMetadata answers (BackupVaultArn, RecoveryPointArn, ResourceType, RestoreMetadata). */
      restoreMetadata: z.array(record).default([]),
      /** DB clusters, as DescribeDBClusters items (clusters restored by simulated jobs are added when read). */
      dbClusters: z.array(record).default([]),
      /** DB instances, as DescribeDBInstances items; CreateDBInstance adds to them. */
      dbInstances: z.array(record).default([]),
      restore: awsRestoreBehaviour,
    })
    .default({
      restoreMetadata: [],
      dbClusters: [],
      dbInstances: [],
      snsTopics: [],
      snsMessages: [],
      backupVaults: [],
      recoveryPoints: [],
      backupJobs: [],
      copyJobs: [],
      restoreJobs: [],
      route53: { hostedZones: [], resourceRecordSets: [] },
      routingControls: [],
      restore: { durationSeconds: AWS_RESTORE_SECONDS, fail: [], instanceSeconds: AWS_INSTANCE_SECONDS },
    }),
  azure: z
    .strictObject({
      /** Backup vaults / Recovery Services vaults, as returned by their GET (id, location, ...). */
      vaults: z.array(record).default([]),
      /** Data Protection and Recovery Services recovery points, as in their list responses' value[]. */
      recoveryPoints: z.array(record).default([]),
      /** Points listed by fetchSecondaryRecoveryPoints (cross-region restore), with their region. */
      secondaryRecoveryPoints: z.array(record).default([]),
      jobs: z.array(record).default([]),
      /** Managed disks and VMs (drill restores), as their GET answers them; deleted ones leave (sim/azure/resources.ts). */
      resources: z.array(record).default([]),
      trafficManagerEndpoints: z.array(record).default([]),
      dnsRecordSets: z.array(record).default([]),
      /** Messages posted to Teams webhooks, as the simulation received them (filled by the simulation). */
      teamsMessages: z.array(record).default([]),
      restore: restoreBehaviour(AZURE_RESTORE_SECONDS),
    })
    .default({
      vaults: [],
      recoveryPoints: [],
      secondaryRecoveryPoints: [],
      jobs: [],
      resources: [],
      trafficManagerEndpoints: [],
      dnsRecordSets: [],
      teamsMessages: [],
      restore: { durationSeconds: AZURE_RESTORE_SECONDS, fail: [] },
    }),
  http: z
    .record(
      z.string(),
      z.strictObject({
        status: z.number().int(),
        body: z.unknown().optional(),
        failTimes: z.number().int().optional(),
      }),
    )
    .default({}),
  /**
   * Backups the simulated cloud keeps taking as its clock moves (added to SPEC §6): every `every`
   * after the newest point of `resource` (ResourceArn, backup instance id or protected item id).
   */
  backups: z
    .array(
      z.strictObject({
        resource: z.string().min(1),
        every: z.string().refine((text) => parseDuration(text) !== undefined, {
          error: 'expected a duration such as 5m, 1h or 1d',
        }),
        /** No backup at or before this time; default: the world's clock (set when the file is read). */
        since: z.union([z.string(), z.number()]).optional(),
      }),
    )
    .default([]),
  faults: z
    .array(
      z.strictObject({
        api: z.string().regex(OPERATION_NAME, {
          error: 'expected service:Operation, e.g. backup:StartRestoreJob',
        }),
        error: z.string(),
        times: z.number().int().min(1).default(1),
        status: z.number().int().optional(),
        /** Seconds the answer tells the client to wait (Azure `Retry-After`); default 1 for a 429. */
        retryAfterSeconds: z.number().min(0).optional(),
      }),
    )
    .default([]),
  limits: z
    .record(
      z.string().regex(OPERATION_NAME, {
        error: 'expected service:Operation, e.g. backup:ListRecoveryPointsByBackupVault',
      }),
      z.strictObject({ tps: z.number().positive().optional(), latencyMs: z.number().min(0).optional() }),
    )
    .default({}),
});

/**
 * `faults[].api` names and `limits` keys (well-formed `service:Operation`) that the simulated cloud
 * never serves: such a fault would never fire and such a limit never apply, so they are refused,
 * each with the nearest names the simulation does serve.
 */
function unknownOperationsIn(raw: unknown): { path: (string | number)[]; message: string }[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const { faults, limits } = raw as { faults?: unknown; limits?: unknown };
  const named: { path: (string | number)[]; api: unknown }[] = [
    ...(Array.isArray(faults)
      ? faults.map((f, i) => ({ path: ['faults', i, 'api'], api: (f as { api?: unknown } | null)?.api }))
      : []),
    ...(limits && typeof limits === 'object'
      ? Object.keys(limits).map((api) => ({ path: ['limits', api], api }))
      : []),
  ];
  const known = simulatedOperations();
  return named
    .filter((n): n is { path: (string | number)[]; api: string } => typeof n.api === 'string')
    .filter((n) => OPERATION_NAME.test(n.api) && !known.has(n.api))
    .map((n) => ({
      path: n.path,
      message: `"${n.api}" is not an operation the simulated cloud serves; nearest: ${nearestOperations(n.api).join(', ')} (docs/world.md lists them all)`,
    }));
}

/** A loaded world, times resolved to wire form. */
export type World = z.output<typeof worldSchema> & { readonly clock: Date };

const RELATIVE = /^([+-])(\d+)([smhd])$/;

/** Resolves a time written in a world file to a Date; `undefined` when the value is not a time. */
export function resolveTime(value: unknown, clock: Date): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value !== 'string') return undefined;
  const rel = RELATIVE.exec(value.trim());
  // Parsed here rather than by parseDuration, which refuses `0s`: `+0s` ("at the clock") is a fine time.
  if (rel)
    return new Date(
      clock.getTime() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * parseDuration(`1${rel[3]}`)! * 1000,
    );
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

const AWS_TIME_KEY = /(Date|Time|At)$/;
const AZURE_TIME_KEY = /(Time|time|Date)$/;

/** How one cloud's times are resolved, and the problems found on the way. */
interface TimeContext {
  readonly clock: Date;
  readonly isTimeKey: RegExp;
  readonly toWire: (d: Date) => unknown;
  /** The path of the value being resolved, pushed and popped as the walk goes (copied only for a problem). */
  readonly path: (string | number)[];
  readonly problems: { path: (string | number)[]; message: string }[];
}

/**
 * Resolves the times under `value` to wire form. Records inside arrays (the parsed records, owned by
 * this parse) are rewritten in place, so a world of 100,000 points is not copied field by field; the
 * containers above them are copied, as they may be the schema's shared defaults.
 */
function resolveTimes(value: unknown, ctx: TimeContext, inPlace: boolean): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      ctx.path.push(i);
      out[i] = resolveTimes(value[i], ctx, true);
      ctx.path.pop();
    }
    return out;
  }
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  const source = value as Record<string, unknown>;
  const target: Record<string, unknown> = inPlace ? source : { ...source };
  for (const k of Object.keys(source)) {
    const v = source[k];
    ctx.path.push(k);
    if (ctx.isTimeKey.test(k) && (typeof v === 'string' || typeof v === 'number' || v instanceof Date)) {
      const t = resolveTime(v, ctx.clock);
      if (t) target[k] = ctx.toWire(t);
      else
        ctx.problems.push({
          path: [...ctx.path],
          message: `"${String(v)}" is not a time; write ISO-8601, epoch seconds, or relative to clock (-8m, +1h)`,
        });
    } else if (v && typeof v === 'object') target[k] = resolveTimes(v, ctx, inPlace);
    ctx.path.pop();
  }
  return target;
}

/** A file is read as JSON when its name says so; anything else is YAML (of which JSON is a subset). */
const isJsonFile = (file: string): boolean => /\.json$/i.test(file);

/**
 * Parses JSON text; a syntax error names the file, and the line and column of the position V8
 * reports, or else of the first error the YAML parser finds in the same text (V8 does not always say).
 */
function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const reported = /position (\d+)/.exec(message)?.[1];
    const offset =
      reported === undefined
        ? (parseDocument(text, { prettyErrors: false }).errors[0]?.pos[0] ?? 0)
        : Number(reported);
    const before = text.slice(0, offset).split('\n');
    throw new InvalidWorldError([
      {
        file,
        line: before.length,
        column: before.at(-1)!.length + 1,
        path: '',
        message: `not valid JSON: ${message.split('\n')[0]}`,
      },
    ]);
  }
}

/** Parses YAML text into plain values; a syntax error names the file, line and column. */
function parseYaml(file: string, text: string): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0)
    throw new InvalidWorldError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]! };
      }),
    );
  return doc.toJS();
}

/**
 * Parses a world from text once (JSON through `JSON.parse` when the file is `*.json`, YAML
 * otherwise), checks it and resolves its times; throws {@link InvalidWorldError} naming file, line
 * and field. Lines are found only when there is a problem to report: the text is then read again
 * as a YAML document, which keeps the position of every node.
 */
export function parseWorld(file: string, text: string, now: () => Date = () => new Date()): World {
  const raw = (isJsonFile(file) ? parseJson(file, text) : parseYaml(file, text)) ?? {};
  let located: LocatedDocument | undefined;
  const problemAt = (path: readonly PropertyKey[], message: string): InputProblem => {
    if (!located) {
      const lines = new LineCounter();
      located = { file, doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
    }
    return { file, ...locate(located, path), path: formatPath(path), message };
  };
  const parsed = worldSchema.safeParse(raw);
  const unknownOperations = unknownOperationsIn(raw).map((p) => problemAt(p.path, p.message));
  if (!parsed.success)
    throw new InvalidWorldError([
      ...parsed.error.issues.map((i) =>
        // Point an unknown key at the key itself rather than at the object that holds it.
        problemAt(
          i.code === 'unrecognized_keys' && i.keys.length === 1 ? [...i.path, i.keys[0]!] : i.path,
          i.message,
        ),
      ),
      ...unknownOperations,
    ]);
  if (unknownOperations.length > 0) throw new InvalidWorldError(unknownOperations);
  const clock = parsed.data.clock === undefined ? now() : resolveTime(parsed.data.clock, now());
  if (!clock)
    throw new InvalidWorldError([
      problemAt(['clock'], 'expected an ISO-8601 time such as 2026-11-21T12:00:00Z'),
    ]);
  const problems: { path: (string | number)[]; message: string }[] = [];
  const aws = resolveTimes(
    parsed.data.aws,
    { clock, isTimeKey: AWS_TIME_KEY, toWire: (d) => d.getTime() / 1000, path: ['aws'], problems },
    false,
  ) as World['aws'];
  const azure = resolveTimes(
    parsed.data.azure,
    { clock, isTimeKey: AZURE_TIME_KEY, toWire: (d) => d.toISOString(), path: ['azure'], problems },
    false,
  ) as World['azure'];
  if (problems.length > 0) throw new InvalidWorldError(problems.map((p) => problemAt(p.path, p.message)));
  const backups = parsed.data.backups.map((b) => ({
    ...b,
    since: (b.since === undefined ? clock : (resolveTime(b.since, clock) ?? clock)).toISOString(),
  }));
  return { ...parsed.data, clock, aws, azure, backups };
}
