/**
 * Loads a packaged Function App on plain Node as the Functions worker does — `@azure/functions-core`
 * answered by hooking `Module._load`, as azure-functions-nodejs-worker's `setupCoreModule` does — and
 * prints the functions the package registered, as JSON. Usage: node list-functions.mjs <package dir>.
 */

import { readFile } from 'node:fs/promises';
import Module from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? '.');
const registered = [];
let programmingModel;
const coreApi = {
  version: '3.10.1',
  hostVersion: '4.1000.0',
  setProgrammingModel: (model) => {
    programmingModel = model;
  },
  getProgrammingModel: () => programmingModel,
  registerFunction: (metadata, _callback) => {
    registered.push(metadata);
    return { dispose: () => {} };
  },
  registerHook: () => ({ dispose: () => {} }),
  log: () => {},
};
const originalLoad = Module._load;
Module._load = function load(request, ...rest) {
  if (request === '@azure/functions-core') return coreApi;
  return originalLoad.call(this, request, ...rest);
};

const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
await import(pathToFileURL(join(dir, pkg.main)).href);
process.stdout.write(
  `${JSON.stringify({
    programmingModel: programmingModel?.name ?? null,
    functions: registered.map((f) => ({
      name: f.name,
      bindings: Object.values(f.bindings ?? {}).map((b) => ({
        type: b.type,
        direction: b.direction,
        ...(b.authLevel ? { authLevel: b.authLevel } : {}),
        ...(b.methods ? { methods: b.methods } : {}),
        ...(b.schedule ? { schedule: b.schedule } : {}),
      })),
    })),
  })}\n`,
);
