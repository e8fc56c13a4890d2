/**
 * `npm start`: `standby serve` on the examples — the local control plane and its dashboard at
 * http://localhost:8787, over the simulated cloud of examples/world.yaml, state in .standby/.
 * Arguments after `--` go to serve (`npm start -- --port 9000 --speed 600`). The audit the examples
 * were built to show is one command away: npx standby audit --plan examples/plans --world examples/world.yaml
 */
import { main } from '#cli/main.ts';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
