/**
 * `standby completion bash|zsh|fish` (issue OPERATOR point 8): each script, loaded into its real
 * shell, completes commands, subcommands, flags, fixed choices and paths. bash always runs; zsh and
 * fish run where they are installed (the structural check below holds for all three everywhere).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const ZSH_PROBE = resolve(import.meta.dirname, 'completion/zsh-complete.zsh');
const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
const scripts: Record<string, string> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'standby-completion-'));
  for (const shell of ['bash', 'zsh', 'fish']) {
    const run = await runCli(['completion', shell]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    scripts[shell] = join(dir, `standby.${shell}`);
    await writeFile(scripts[shell]!, run.stdout);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What each shell offers for a command line; words sorted and de-duplicated. */
const COMPLETERS: Record<string, (line: string) => string[]> = {
  bash: (line) => {
    const words = line.split(' ');
    const program = `source ${JSON.stringify(scripts['bash'])}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}
_standby; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return lines(execFileSync('bash', ['-c', program], { cwd: ROOT, encoding: 'utf8' }));
  },
  fish: (line) =>
    lines(
      execFileSync('fish', ['-c', `source ${scripts['fish']}; complete -C ${JSON.stringify(line)}`], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ).map((l) => l.split('\t')[0]!),
  zsh: (line) => {
    const hits = join(dir, `hits-${Math.random().toString(36).slice(2)}`);
    execFileSync('zsh', ['-f', ZSH_PROBE, scripts['zsh']!, line, hits], { cwd: ROOT, timeout: 20_000 });
    return lines(spawnSync('cat', [hits], { encoding: 'utf8' }).stdout);
  },
};
const lines = (text: string) => [...new Set(text.split('\n').filter((l) => l.trim() !== ''))].sort();

const CASES: [line: string, offers: string[]][] = [
  [
    'standby ',
    [
      'advance',
      'approve',
      'audit',
      'completion',
      'drill',
      'evidence',
      'failover',
      'reject',
      'replay',
      'serve',
      'status',
      'validate',
    ],
  ],
  ['standby au', ['audit']],
  [
    'standby audit --',
    ['--format', '--help', '--json', '--plan', '--preflight', '--stats', '--strict', '--world'],
  ],
  ['standby audit --format ', ['json', 'junit', 'markdown', 'table']],
  ['standby evidence ', ['export', 'verify']],
  ['standby evidence verify --', ['--app', '--file', '--help', '--json', '--state']],
  ['standby completion ', ['bash', 'fish', 'zsh']],
];

describe.each(['bash', 'zsh', 'fish'])('standby completion %s', (shell) => {
  it.skipIf(!has(shell)).each(CASES)('completes %j to its commands, flags and choices', (line, offers) => {
    expect(COMPLETERS[shell]!(line)).toEqual(offers);
  });

  it.skipIf(!has(shell))('completes a --plan value and a plan argument to paths', () => {
    for (const line of ['standby audit --plan examples/pl', 'standby validate examples/pl'])
      expect(COMPLETERS[shell]!(line).join(' ')).toMatch(/plans/);
  });

  it('names every command and every flag of the program', async () => {
    const script = await readFile(scripts[shell]!, 'utf8');
    const help = (await runCli(['failover', '--help'])).stdout;
    const flags = help.match(/--[a-z-]+/g) ?? [];
    expect(flags.length).toBeGreaterThan(8);
    // fish names a long option without its dashes: `-l plan`.
    for (const flag of flags) expect(script).toContain(shell === 'fish' ? `-l ${flag.slice(2)}` : flag);
    for (const command of CASES[0]![1]) expect(script).toContain(command);
  });
});

describe('standby completion', () => {
  it('refuses a shell it has no script for, naming the ones it has', async () => {
    const run = await runCli(['completion', 'powershell']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Allowed choices are bash, zsh, fish');
  });
});
