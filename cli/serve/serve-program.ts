/** The `serve` subcommand's options (commander), kept next to the command it starts. */
import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from '../io.ts';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function number(name: string, check: (n: number) => boolean, expected: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || !check(n))
      throw new InvalidArgumentError(`${name} must be ${expected}, got "${text}"`);
    return n;
  };
}

/** Adds `standby serve` to `program`; the server and its SDKs load only when it runs. */
export function addServeCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('the local control plane and its web dashboard, over the simulated cloud of a world file')
    .option('--plan <path>', 'plan file or directory (repeatable; default: examples/plans)', collect)
    .option('--world <file>', 'the simulated cloud', 'examples/world.yaml')
    .option(
      '--state-dir <dir>',
      'where state is kept (embedded DynamoDB, world snapshot, approval key)',
      '.standby',
    )
    .option('--host <host>', 'the address to listen on (loopback only by default)', '127.0.0.1')
    .option(
      '--port <port>',
      'the port to listen on (0: any free port)',
      number('--port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number 0-65535'),
      8787,
    )
    .option(
      '--speed <factor>',
      'simulated seconds per real second',
      number('--speed', (n) => n > 0 && n <= 1_000_000, 'a number above 0 and at most 1000000'),
      60,
    )
    .action(
      async (opts: {
        plan?: string[];
        world: string;
        stateDir: string;
        host: string;
        port: number;
        speed: number;
      }) => {
        const { serveCommand } = await import('./serve-command.ts');
        setExit(
          await serveCommand(
            {
              plan: opts.plan ?? ['examples/plans'],
              world: opts.world,
              stateDir: opts.stateDir,
              host: opts.host,
              port: opts.port,
              speed: opts.speed,
            },
            io,
          ),
        );
      },
    );
}
