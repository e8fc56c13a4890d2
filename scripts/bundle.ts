/**
 * `npm run bundle`: one minified ESM bundle per Lambda handler in `functions/handlers/`, written to
 * `dist/functions/<name>/index.mjs` (+ `index.mjs.map`), with the settings the CDK deploys
 * (`cdk/bundling.ts`). Prints each bundle's size and the SDK clients it carries.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFunction, functionEntries } from '../cdk/bundling.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, 'dist/functions');

rmSync(OUT, { recursive: true, force: true });
for (const { name, entry } of functionEntries(ROOT)) {
  const result = bundleFunction(entry, join(OUT, name));
  const clients = [
    ...new Set(
      Object.values(result.metafile.outputs)
        .flatMap((o) => Object.keys(o.inputs))
        .flatMap((p) => /@aws-sdk\/(client-[a-z0-9-]+)/.exec(p)?.[1] ?? []),
    ),
  ].sort();
  console.log(
    `${join('dist/functions', name, 'index.mjs')}  ${(result.bytes / 1024).toFixed(0)} KiB  clients: ${clients.join(', ')}`,
  );
}
