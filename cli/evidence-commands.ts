/**
 * The `standby evidence` command tree: the report, `verify` (the chain in the state store, or an
 * exported file) and `export` (the chain as `standby-evidence/v1` JSON Lines for write-once storage).
 */
import { type Command, Option } from 'commander';
import { EVIDENCE_FORMATS, evidenceCommand } from './commands/evidence.ts';
import { evidenceExportCommand } from './commands/evidence-export.ts';
import { evidenceVerifyCommand } from './commands/evidence-verify.ts';
import type { CliIo } from './io.ts';

/** Collects a repeatable option (`--plan a --plan b`). */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

interface EvidenceFlags {
  plan?: string[];
  app?: string;
  world?: string;
  state: string;
  format: (typeof EVIDENCE_FORMATS)[number];
  json?: boolean;
}

/** Adds `evidence`, `evidence verify` and `evidence export` to `program`. */
export function registerEvidenceCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const evidence = program
    .command('evidence')
    // `evidence verify --state X`: options after `verify` are verify's own, not the report's.
    .enablePositionalOptions()
    .description(
      'the evidence report, with the recovery-invariant sentence per app (verify: check the hash chain; export: write it out)',
    )
    .option('--plan <path>', 'plan file or directory (repeatable)', collect)
    .option('--app <name>', 'only this application')
    .option('--world <file>', 'run against the simulated cloud of this world file')
    .option('--state <dir>', 'where controller state is kept', '.standby')
    .addOption(new Option('--format <format>', 'output format').choices(EVIDENCE_FORMATS).default('markdown'))
    .option('--json', 'print one JSON document on stdout (same as --format json)')
    .action(async (opts: EvidenceFlags, command: Command) => {
      if (!opts.plan) command.error("error: required option '--plan <path>' not specified");
      setExit(
        await evidenceCommand(
          {
            plan: opts.plan ?? [],
            state: opts.state,
            format: opts.json ? 'json' : opts.format,
            ...(opts.world !== undefined ? { world: opts.world } : {}),
            ...(opts.app !== undefined ? { app: opts.app } : {}),
          },
          io,
        ),
      );
    });
  evidence
    .command('verify')
    .description(
      'recompute the evidence hash chain (or an exported file); exit 2 naming the first changed, removed or reordered record',
    )
    .option('--app <name>', 'only this application')
    .option('--state <dir>', 'where controller state is kept', '.standby')
    .option('--file <export>', 'verify this file written by `standby evidence export` instead of the state')
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { app?: string; state: string; file?: string; json?: boolean }) =>
      setExit(
        await evidenceVerifyCommand(
          {
            state: opts.state,
            json: opts.json === true,
            ...(opts.app !== undefined ? { app: opts.app } : {}),
            ...(opts.file !== undefined ? { file: opts.file } : {}),
          },
          io,
        ),
      ),
    );
  evidence
    .command('export')
    .description(
      "write an application's evidence chain as standby-evidence/v1 JSON Lines, for S3 Object Lock or immutable Blob storage",
    )
    .requiredOption('--app <name>', 'the application')
    .option('--state <dir>', 'where controller state is kept', '.standby')
    .option('--out <file>', 'write to this file (created; never overwritten) instead of stdout')
    .action(async (opts: { app: string; state: string; out?: string }) =>
      setExit(
        await evidenceExportCommand(
          { app: opts.app, state: opts.state, ...(opts.out !== undefined ? { out: opts.out } : {}) },
          io,
        ),
      ),
    );
}
