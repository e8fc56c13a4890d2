/**
 * Plan files from disk, for every driving side (the CLI's `--plan`, the Lambda and Azure Functions
 * composition roots' plans path): files or directories, a directory meaning every `*.yaml`, `*.yml`
 * and `*.json` directly in it, in name order, so runs are reproducible.
 */

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '#shared/domain/errors.ts';
import type { RecoveryPlan } from '#shared/domain/plan.ts';
import { type LoadedPlan, type PlanText, readPlans } from '#shared/domain/plan-file.ts';
import { describeFsError } from './fs-errors.ts';

const PLAN_FILE = /\.(ya?ml|json)$/i;

/** The plan files named by `paths`, directories expanded; throws {@link InvalidInputError} naming a bad path. */
export async function planFiles(paths: readonly string[], label = 'plan path'): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new InvalidInputError(`${label} ${path} cannot be read (${describeFsError(error)})`, {
        cause: error,
      });
    });
    if (info.isDirectory()) {
      const names = (await readdir(path, { withFileTypes: true }))
        .filter((e) => e.isFile() && PLAN_FILE.test(e.name))
        .map((e) => e.name)
        .sort();
      if (names.length === 0)
        throw new InvalidInputError(`plan directory ${path} holds no *.yaml, *.yml or *.json file`);
      files.push(...names.map((name) => join(path, name)));
    } else files.push(path);
  }
  return [...new Set(files)];
}

/** Reads and checks every plan named by `paths`; throws `InvalidPlanError` with every problem found. */
export async function loadPlans(paths: readonly string[], label?: string): Promise<LoadedPlan[]> {
  const files = await planFiles(paths, label);
  const texts: PlanText[] = await Promise.all(
    files.map(async (file) => ({
      file,
      text: await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InvalidInputError(`plan file ${file} cannot be read (${describeFsError(error)})`, {
          cause: error,
        });
      }),
    })),
  );
  return readPlans(texts);
}

/** The checked plans at `paths` (without where each was read from); `label` names the paths' origin in errors. */
export async function loadPlanSet(paths: readonly string[], label?: string): Promise<RecoveryPlan[]> {
  return (await loadPlans(paths, label)).map((loaded) => loaded.plan);
}
