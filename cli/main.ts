/**
 * The `standby` command (SPEC §5): parses arguments with commander and runs one command. Exit codes:
 * 0 success, 1 usage or input error (message on stderr, nothing done), 2 the check found a problem.
 * Takes its streams as a parameter so tests run it in-process exactly as the bin does.
 */
import { createRequire } from 'node:module';
import { Argument, Command, Option } from 'commander';
import { InvalidInputError } from '#shared/domain/errors.ts';
import { redactSecrets } from '#shared/domain/secrets.ts';
import { closeOpenStores } from './adapters/open-stores.ts';
import { advanceCommand } from './commands/advance.ts';
import { auditCommand } from './commands/audit.ts';
import { COMPLETION_SHELLS, type CompletionShell, completionCommand } from './commands/completion.ts';
import { decideCommand } from './commands/decide.ts';
import { drillCommand } from './commands/drill.ts';
import { failoverCommand } from './commands/failover.ts';
import { replayCommand } from './commands/replay.ts';
import { statusCommand } from './commands/status.ts';
import { validateCommand } from './commands/validate.ts';
import { type DeployedFlags, deployedFlagsOf } from './deployed-engine-flags.ts';
import { ExitCode, reportFailure } from './errors.ts';
import { registerEvidenceCommands } from './evidence-commands.ts';
import { AUDIT_FORMATS, type AuditFormat } from './format/render.ts';
import { type CliIo, processIo } from './io.ts';
import { addServeCommand } from './serve/serve-program.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** Collects a repeatable option (`--plan a --plan b`). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('standby')
    .description(
      'Serverless disaster-recovery controller for AWS and Azure: plans, freshness audits, failover.',
    )
    .version(version)
    // Settings below are copied to each subcommand as it is added, so they go first.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run standby --help for usage)')
    .showSuggestionAfterError()
    // Options after a subcommand belong to it (`evidence verify --state X` is verify's --state).
    .enablePositionalOptions();

  program
    .command('validate')
    .description('check plan files; print each problem with file:line')
    .argument('<plan...>', 'plan files or directories (*.yaml, *.yml, *.json)')
    .option(
      '--preflight',
      'also build every restore request a failover would send now and check it; exit 2 if one would be refused',
    )
    .option('--world <file>', 'preflight against the simulated cloud of this world file')
    .option(
      '--json',
      'print one JSON document: the plans, or every problem (and the preflight with --preflight)',
    )
    .action(
      async (
        paths: string[],
        opts: { preflight?: boolean; world?: string; json?: boolean },
        command: Command,
      ) => {
        if (!opts.preflight && opts.world !== undefined)
          command.error('error: --world goes with --preflight; validate alone reads no cloud');
        setExit(
          await validateCommand(paths, io, {
            preflight: opts.preflight === true,
            ...(opts.world !== undefined ? { world: opts.world } : {}),
            json: opts.json === true,
          }),
        );
      },
    );

  program
    .command('audit')
    .description('freshness of every resource; exit 2 on breach/missing/unknown (and warning with --strict)')
    .addOption(planOption())
    .option('--world <file>', 'run against the simulated cloud of this world file')
    .addOption(new Option('--format <format>', 'output format').choices(AUDIT_FORMATS).default('table'))
    .option('--json', 'print one JSON document on stdout (same as --format json)')
    .option('--strict', 'a warning fails the audit too')
    .option('--stats', 'add the API calls the simulated cloud served (needs --world)')
    .option('--preflight', 'add a RESTORABLE column: each restore request a failover would send now, checked')
    .action(async (opts: AuditFlags, command: Command) => {
      if (opts.json && command.getOptionValueSource('format') === 'cli' && opts.format !== 'json')
        command.error(`error: --json prints JSON; it cannot be combined with --format ${opts.format}`);
      if (opts.stats && opts.world === undefined)
        command.error('error: --stats counts the calls served by the simulated cloud; add --world <file>');
      const format: AuditFormat = opts.json ? 'json' : opts.format;
      setExit(
        await auditCommand(
          {
            plan: opts.plan,
            ...(opts.world !== undefined ? { world: opts.world } : {}),
            format,
            strict: opts.strict === true,
            stats: opts.stats === true,
            preflight: opts.preflight === true,
          },
          io,
        ),
      );
    });

  program
    .command('status')
    .description('what each application looks like now: active site, failover, freshness')
    .addOption(planOption())
    .option('--world <file>', 'run against the simulated cloud of this world file')
    .option('--state <dir>', 'where controller state is kept', '.standby')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: StatusFlags & DeployedFlags) =>
      setExit(
        await statusCommand(
          {
            plan: opts.plan,
            ...(opts.world !== undefined ? { world: opts.world } : {}),
            state: opts.state,
            json: opts.json === true,
            ...deployedOf(opts),
          },
          io,
        ),
      ),
    );
  addDeployedOptions(program.commands.at(-1)!);

  program
    .command('replay')
    .description("feed recorded events, in order, through the cloud handlers' code path, then run until idle")
    .argument('<event...>', 'event files (JSON), handled in the order given')
    .addOption(planOption())
    .requiredOption('--world <file>', 'the simulated cloud to replay against')
    .option('--state <dir>', 'where controller and simulation state is kept', '.standby')
    .option('--json', 'print one JSON document on stdout')
    .option('--stats', 'add the API calls the simulated cloud served')
    .action(async (events: string[], opts: StatusFlags & { stats?: boolean }) =>
      setExit(
        await replayCommand(
          { ...engineFlags(opts), events, json: opts.json === true, stats: opts.stats === true },
          io,
        ),
      ),
    );

  program
    .command('advance')
    .description('let simulated time pass (--by 30m): jobs end, timeouts run out, the scheduled audit runs')
    .requiredOption('--by <duration>', 'how much simulated time passes (90s, 30m, 2h, 1d)')
    .addOption(planOption())
    .requiredOption('--world <file>', 'the simulated cloud whose time passes')
    .option('--state <dir>', 'where controller and simulation state is kept', '.standby')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: StatusFlags & { by: string; world: string }) =>
      setExit(
        await advanceCommand(
          { ...engineFlags(opts), world: opts.world, by: opts.by, json: opts.json === true },
          io,
        ),
      ),
    );

  program
    .command('failover')
    .description('manual failover of one application; --dry-run prints the gates and steps')
    .addOption(planOption())
    .requiredOption('--app <name>', 'the application to fail over')
    .option('--world <file>', 'run against the simulated cloud of this world file')
    .option('--state <dir>', 'where controller and simulation state is kept', '.standby')
    .option('--dry-run', 'evaluate the gates and list the steps; change nothing')
    .option(
      '--accept-stale',
      'break-glass: fail over although backups are older than their RPO (needs --reason)',
    )
    .option('--accept-cooldown', 'break-glass: fail over within the cooldown (needs --reason)')
    .option('--reason <text>', 'why the override is needed; kept in the failover history as evidence')
    .option('--json', 'print one JSON document on stdout')
    .action(
      async (
        opts: StatusFlags & {
          app: string;
          dryRun?: boolean;
          acceptStale?: boolean;
          acceptCooldown?: boolean;
          reason?: string;
        },
      ) =>
        setExit(
          await failoverCommand(
            {
              ...engineFlags(opts),
              app: opts.app,
              dryRun: opts.dryRun === true,
              json: opts.json === true,
              accept: [
                ...(opts.acceptStale ? (['fresh-backups'] as const) : []),
                ...(opts.acceptCooldown ? (['cooldown'] as const) : []),
              ],
              ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
            },
            io,
          ),
        ),
    );

  for (const decision of ['approve', 'reject'] as const)
    program
      .command(decision)
      .description(`${decision} a failover waiting for approval, then carry it on`)
      .argument(
        '<token>',
        `the ${decision} token of the approval request, or - to read it from standard input (kept out of ps and shell history)`,
      )
      .addOption(planOption())
      .option('--world <file>', 'run against the simulated cloud of this world file')
      .option('--state <dir>', 'where controller and simulation state is kept', '.standby')
      .option('--json', 'print one JSON document on stdout')
      .action(async (token: string, opts: StatusFlags & DeployedFlags) =>
        setExit(
          await decideCommand(
            { ...engineFlags(opts), decision, token, json: opts.json === true, ...deployedOf(opts) },
            io,
          ),
        ),
      );
  for (const decision of ['approve', 'reject'])
    addDeployedOptions(program.commands.find((c) => c.name() === decision)!);

  program
    .command('drill')
    .description(
      'restore drill without traffic switch: restore under drill names, validate, tear down; writes evidence',
    )
    .addOption(planOption())
    .requiredOption('--app <name>', 'the application to drill')
    .option('--world <file>', 'run against the simulated cloud of this world file')
    .option('--state <dir>', 'where controller and simulation state is kept', '.standby')
    .option('--json', 'print one JSON document on stdout')
    .option('--stats', 'add the API calls the simulated cloud served (needs --world)')
    .action(async (opts: StatusFlags & { app: string; stats?: boolean }, command: Command) => {
      if (opts.stats && opts.world === undefined)
        command.error('error: --stats counts the calls served by the simulated cloud; add --world <file>');
      setExit(
        await drillCommand(
          { ...engineFlags(opts), app: opts.app, json: opts.json === true, stats: opts.stats === true },
          io,
        ),
      );
    });

  registerEvidenceCommands(program, io, setExit);

  addServeCommand(program, io, setExit);

  program
    .command('completion')
    .description('print the shell completion script (bash, zsh or fish); see docs/cli.md to load it')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => setExit(completionCommand(shell, program, io)));

  return program;
}

/** `--plan`, repeatable; without it, the path in `STANDBY_PLAN`; one of the two is required. */
function planOption(): Option {
  return new Option('--plan <path>', 'plan file or directory (repeatable; default: $STANDBY_PLAN)')
    .env('STANDBY_PLAN')
    .argParser(collect)
    .makeOptionMandatory();
}

/** The options that name a deployed AWS controller instead of a state directory. */
function addDeployedOptions(command: Command): void {
  command
    .option(
      '--region <region>',
      'a deployed controller: its AWS region (default: the region of --approval-key)',
    )
    .option('--table <name>', 'a deployed controller: its DynamoDB state table (stack output StateTableName)')
    .option(
      '--approval-key <arn>',
      'a deployed controller: its approval key secret (stack output ApprovalKeySecretArn)',
    )
    .option('--stack-outputs <file>', 'a deployed controller: the outputs file of cdk deploy --outputs-file')
    .option('--stack <name>', 'which stack of --stack-outputs, when it holds several');
}

/** `{ deployed }` when a deployed controller is named; refuses mixing it with a simulated world. */
function deployedOf(opts: StatusFlags & DeployedFlags): { deployed?: DeployedFlags } {
  const deployed = deployedFlagsOf(opts);
  if (deployed && opts.world !== undefined)
    throw new InvalidInputError(
      '--world runs against a simulated cloud and --region/--table/--approval-key/--stack-outputs against a deployed controller; give one',
    );
  return deployed ? { deployed } : {};
}

/** The flags every engine command shares. */
function engineFlags(opts: StatusFlags): { plan: string[]; state: string; world?: string } {
  return { plan: opts.plan, state: opts.state, ...(opts.world !== undefined ? { world: opts.world } : {}) };
}

interface AuditFlags {
  plan: string[];
  world?: string;
  format: AuditFormat;
  json?: boolean;
  strict?: boolean;
  stats?: boolean;
  preflight?: boolean;
}

interface StatusFlags {
  plan: string[];
  world?: string;
  state: string;
  json?: boolean;
}

/** Runs the command line `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], given: CliIo = processIo()): Promise<number> {
  // Whatever a command prints, nothing secret-shaped leaves (plans refuse literal secrets; this is the net).
  const io: CliIo = {
    ...given,
    stdout: { write: (text: string) => given.stdout.write(redactSecrets(text)) },
    stderr: { write: (text: string) => given.stderr.write(redactSecrets(text)) },
  };
  let exitCode: number = ExitCode.Ok;
  try {
    await buildProgram(io, (code) => {
      exitCode = code;
    }).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io.stderr);
  } finally {
    await closeOpenStores();
  }
}
