/**
 * Turns `--plan` arguments (files or directories, repeatable) into checked plans. A directory means
 * every `*.yaml`, `*.yml` and `*.json` directly in it, in name order, so runs are reproducible.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { type LoadedPlan, type PlanText, readPlans } from '#shared/domain/plan-file.ts';

const PLAN_FILE = /\.(ya?ml|json)$/i;

/** The plan files named by `paths`, directories expanded; throws {@link InvalidInputError} naming a bad path. */
export async function planFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new InvalidInputError(`plan path ${path} cannot be read (${error.code ?? error.message})`, {
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
export async function loadPlans(paths: readonly string[]): Promise<LoadedPlan[]> {
  const files = await planFiles(paths);
  const texts: PlanText[] = await Promise.all(
    files.map(async (file) => ({
      file,
      text: await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new InvalidInputError(`plan file ${file} cannot be read (${error.code ?? error.message})`, {
          cause: error,
        });
      }),
    })),
  );
  return readPlans(texts);
}
