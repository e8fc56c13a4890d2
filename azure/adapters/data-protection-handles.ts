/**
 * The job handles of the Data Protection restore service (`./data-protection-restore.ts`): what
 * `start` returns and `describe` follows. A handle is checked when read back, so a forged or foreign
 * one is refused rather than followed (the operation URLs must be Data Protection paths).
 */
import { InvalidInputError } from '#shared/domain/errors.ts';

/**
 * Job handles: an operation to follow (`dataprotection-operation:`), a known vault job
 * (`dataprotection-job:{jobId}`) or a known cross-region restore job
 * (`dataprotection-crr-job:{targetRegion}:{sourceRegion}:{jobId}`, regions normalised).
 */
export const OPERATION_HANDLE = 'dataprotection-operation:';
export const JOB_HANDLE = 'dataprotection-job:';
export const CRR_JOB_HANDLE = 'dataprotection-crr-job:';

/** A normalised region name (`northeurope`), as handles carry it. */
export const REGION = /^[a-z0-9]+$/;

/** Where a cross-region restore runs: its job is read in `location`, naming the vault's `sourceRegion`. */
export interface CrossRegion {
  /** The restore's region (normalised), where the job lives. */
  readonly location: string;
  /** The vault's region (normalised). */
  readonly sourceRegion: string;
}

/** The two URLs of a triggered restore, as paths under the ARM endpoint, and where its job is read. */
export interface OperationRef {
  /** `Azure-AsyncOperation`: the operation status. */
  readonly status: string;
  /** `Location`: the operation result, which names the job. */
  readonly result?: string;
  /** Set for a cross-region restore: the job is a cross-region restore job of these regions. */
  readonly crr?: CrossRegion;
}

/** The handle of a known cross-region restore job. */
export function crossRegionJobHandle(crr: CrossRegion, jobId: string): string {
  return `${CRR_JOB_HANDLE}${crr.location}:${crr.sourceRegion}:${jobId}`;
}

/** The regions and job of a cross-region job handle made by {@link crossRegionJobHandle}; refuses any other text. */
export function decodeCrossRegionJob(handle: string): { crr: CrossRegion; job: string } {
  const [location = '', sourceRegion = '', ...rest] = handle.slice(CRR_JOB_HANDLE.length).split(':');
  const job = rest.join(':');
  if (!REGION.test(location) || !REGION.test(sourceRegion) || !/^[A-Za-z0-9-]+$/.test(job))
    throw new InvalidInputError(
      `"${handle}" is not a cross-region restore handle made by start (${CRR_JOB_HANDLE}{targetRegion}:{sourceRegion}:{jobId})`,
    );
  return { crr: { location, sourceRegion }, job };
}

/** The operation of an operation handle made by the restore service's `start`; refuses any other text. */
export function decodeOperation(handle: string): OperationRef {
  let ref: unknown;
  try {
    ref = JSON.parse(Buffer.from(handle.slice(OPERATION_HANDLE.length), 'base64url').toString('utf8'));
  } catch {
    ref = undefined;
  }
  const r = ref as Partial<OperationRef> | undefined;
  const ok = (p: unknown): p is string =>
    typeof p === 'string' && /^\/subscriptions\/[^/]+\/.*providers\/microsoft\.dataprotection\//i.test(p);
  const crr = r?.crr as Partial<CrossRegion> | undefined;
  const crrOk =
    crr === undefined ||
    (typeof crr.location === 'string' &&
      REGION.test(crr.location) &&
      typeof crr.sourceRegion === 'string' &&
      REGION.test(crr.sourceRegion));
  if (!r || !ok(r.status) || (r.result !== undefined && !ok(r.result)) || !crrOk)
    throw new InvalidInputError(`"${handle}" is not a Data Protection restore handle made by start`);
  return {
    status: r.status,
    ...(r.result ? { result: r.result } : {}),
    ...(crr ? { crr: { location: crr.location!, sourceRegion: crr.sourceRegion! } } : {}),
  };
}
