/**
 * World files (SPEC §6): a simulated cloud described in the providers' own API shapes. Times may be
 * written as ISO-8601, epoch seconds (as on the AWS wire) or relative to `clock` (`-8m`, `+1h`); the
 * loader resolves them into the form each provider's wire uses: epoch seconds for AWS, ISO-8601
 * for Azure. Unknown keys are kept as they are, so records can be copied verbatim from API responses.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parseDuration } from '#shared/domain/duration.ts';
import { type InputProblem, InvalidWorldError } from '#shared/domain/errors.ts';
import { formatPath, locate } from '#shared/domain/plan-file.ts';

const record = z.record(z.string(), z.unknown());
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
      restore: restoreBehaviour(AWS_RESTORE_SECONDS),
    })
    .default({
      snsTopics: [],
      snsMessages: [],
      backupVaults: [],
      recoveryPoints: [],
      backupJobs: [],
      copyJobs: [],
      restoreJobs: [],
      route53: { hostedZones: [], resourceRecordSets: [] },
      routingControls: [],
      restore: { durationSeconds: AWS_RESTORE_SECONDS, fail: [] },
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
  faults: z
    .array(
      z.strictObject({
        api: z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9_]+$/, {
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
      z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9_]+$/, {
        error: 'expected service:Operation, e.g. backup:ListRecoveryPointsByBackupVault',
      }),
      z.strictObject({ tps: z.number().positive().optional(), latencyMs: z.number().min(0).optional() }),
    )
    .default({}),
});

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

function resolveTimes(
  value: unknown,
  clock: Date,
  isTimeKey: RegExp,
  toWire: (d: Date) => unknown,
  path: (string | number)[],
  problems: { path: (string | number)[]; message: string }[],
): unknown {
  if (Array.isArray(value))
    return value.map((v, i) => resolveTimes(v, clock, isTimeKey, toWire, [...path, i], problems));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (isTimeKey.test(k) && (typeof v === 'string' || typeof v === 'number' || v instanceof Date)) {
          const t = resolveTime(v, clock);
          if (!t) {
            problems.push({
              path: [...path, k],
              message: `"${String(v)}" is not a time; write ISO-8601, epoch seconds, or relative to clock (-8m, +1h)`,
            });
            return [k, v];
          }
          return [k, toWire(t)];
        }
        return [k, resolveTimes(v, clock, isTimeKey, toWire, [...path, k], problems)];
      }),
    );
  }
  return value;
}

/** Parses a world from text; throws {@link InvalidWorldError} naming file, line and field. */
export function parseWorld(file: string, text: string, now: () => Date = () => new Date()): World {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const located = { file, doc, lines };
  if (doc.errors.length > 0)
    throw new InvalidWorldError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]! };
      }),
    );
  const raw = doc.toJS() ?? {};
  const problemAt = (path: readonly PropertyKey[], message: string): InputProblem => ({
    file,
    ...locate(located, path),
    path: formatPath(path),
    message,
  });
  const parsed = worldSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidWorldError(
      parsed.error.issues.map((i) =>
        // Point an unknown key at the key itself rather than at the object that holds it.
        problemAt(
          i.code === 'unrecognized_keys' && i.keys.length === 1 ? [...i.path, i.keys[0]!] : i.path,
          i.message,
        ),
      ),
    );
  const clock = parsed.data.clock === undefined ? now() : resolveTime(parsed.data.clock, now());
  if (!clock)
    throw new InvalidWorldError([
      problemAt(['clock'], 'expected an ISO-8601 time such as 2026-11-21T12:00:00Z'),
    ]);
  const problems: { path: (string | number)[]; message: string }[] = [];
  const aws = resolveTimes(
    parsed.data.aws,
    clock,
    AWS_TIME_KEY,
    (d) => d.getTime() / 1000,
    ['aws'],
    problems,
  ) as World['aws'];
  const azure = resolveTimes(
    parsed.data.azure,
    clock,
    AZURE_TIME_KEY,
    (d) => d.toISOString(),
    ['azure'],
    problems,
  ) as World['azure'];
  if (problems.length > 0) throw new InvalidWorldError(problems.map((p) => problemAt(p.path, p.message)));
  return { ...parsed.data, clock, aws, azure };
}
