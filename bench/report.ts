/** The Markdown tables of one bench run (bench/results.md, and the figures of docs/performance.md). */

/** The parts of bench/results.json the tables show. */
export interface BenchResults {
  readonly machine: {
    readonly cpus: number;
    readonly model: string;
    readonly node: string;
    readonly loadAverage: { readonly atStart: number; readonly atEnd: number };
  };
  readonly runs: number;
  readonly totalSeconds: number;
  readonly audit: readonly {
    readonly resources: number;
    readonly vaults: number;
    readonly points: number;
    readonly listPagesNeeded: number;
    readonly quotaBoundMs: number;
    readonly wallMs: number;
    readonly wallToBound: number;
    readonly startupMs: number;
    readonly wallLessStartupToBound: number;
    readonly cpuMs: number;
    readonly startupCpuMs: number;
    readonly cpuToBound: number;
    readonly callsMedian: number;
    readonly throttledListCalls: number;
    readonly callsPerResource: number;
    readonly peakRssMb: number;
  }[];
  readonly listing: {
    readonly resources: number;
    readonly points: number;
    readonly vaultWide: { readonly calls: number; readonly wallMs: number };
    readonly perResource: { readonly calls: number; readonly wallMs: number };
  };
  readonly failover: {
    readonly resources: number;
    readonly levels: number;
    readonly makespanSeconds: number;
    readonly criticalPathSeconds: number;
    readonly sequentialSeconds: number;
    readonly makespanToCriticalPath: number;
    readonly makespanToSequential: number;
    readonly wallMs: number;
    readonly startRestoreJobCalls: number;
    readonly restoreJobs: number;
  };
  readonly decision: readonly {
    readonly store: string;
    readonly events: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly p99ToTarget: number;
    readonly inSimulatedCallsP50Ms: number;
  }[];
  readonly coldStart: {
    readonly baseline: { readonly bytes: number; readonly importMs: number };
    readonly handlers: readonly {
      readonly entry: string;
      readonly mib: number;
      readonly toBaselineBytes: number;
      readonly importMs: number;
      readonly toBaselineImport: number;
      readonly toTarget: { readonly bytes: number; readonly importMs: number };
    }[];
  };
  readonly cost: {
    readonly fleet: { readonly applications: number; readonly auditEveryMinutes: number };
    readonly lines: readonly { readonly item: string; readonly quantity: number; readonly usd: number }[];
    readonly totalUsdPerMonth: number;
    readonly arcRegionSwitchUsdPerMonth: number;
    readonly toTarget: number;
  };
}

const n = (x: number) => x.toLocaleString('en-US');

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

/** The run as Markdown: one table per benchmark, ratios next to their bounds and baselines. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const parts = [
    '# Standby bench results',
    '',
    `${m.cpus} CPU(s) (${m.model}), Node ${m.node}, load average ${m.loadAverage.atStart} at start and ${m.loadAverage.atEnd} at end: ` +
      `the machine was shared, so read the ratios (each measured in this run) before the milliseconds. ` +
      `Medians of ${r.runs} run(s); whole run ${r.totalSeconds} s.`,
    '',
    '## 1. Audit, whole CLI run (`standby audit --world … --json --stats`)',
    '',
    "Quota bound: the vault pages at 20 List* calls per second (`pages / 20` s). Startup: the same command over one resource, in this run (Node, tsx, SDK import, no listing to speak of). CPU: user + system time of the process, which the machine's other load does not inflate: below 1× the bound, the run is quota-bound on a free core.",
    '',
    table(
      [
        'resources',
        'vaults',
        'points',
        'pages',
        'quota bound ms',
        'wall ms',
        'wall / bound',
        'startup ms',
        '(wall − startup) / bound',
        'CPU ms (startup)',
        'CPU / bound',
        'calls',
        'throttled',
        'calls / resource',
        'peak RSS MB',
      ],
      r.audit.map((a) => [
        n(a.resources),
        a.vaults,
        n(a.points),
        a.listPagesNeeded,
        n(a.quotaBoundMs),
        n(a.wallMs),
        `**${a.wallToBound}×**`,
        n(a.startupMs),
        `${a.wallLessStartupToBound}×`,
        `${n(a.cpuMs)} (${n(a.startupCpuMs)})`,
        `${a.cpuToBound}×`,
        a.callsMedian,
        a.throttledListCalls,
        a.callsPerResource,
        a.peakRssMb,
      ]),
    ),
    '',
    '## 2. Listing strategy (in-process, same quotas)',
    '',
    table(
      [
        'resources',
        'points',
        'vault-wide calls',
        'vault-wide ms',
        'per-resource calls',
        'per-resource ms',
        'calls ×',
        'time ×',
      ],
      [
        [
          r.listing.resources,
          n(r.listing.points),
          r.listing.vaultWide.calls,
          n(r.listing.vaultWide.wallMs),
          r.listing.perResource.calls,
          n(r.listing.perResource.wallMs),
          `**${(r.listing.perResource.calls / r.listing.vaultWide.calls).toFixed(1)}**`,
          `**${(r.listing.perResource.wallMs / r.listing.vaultWide.wallMs).toFixed(1)}**`,
        ],
      ],
    ),
    '',
    '## 3. Failover makespan (simulated time, alarm to traffic switched)',
    '',
    table(
      [
        'restores',
        'levels',
        'makespan s',
        'critical path s',
        'sequential s',
        'makespan / critical path',
        'makespan / sequential',
        'StartRestoreJob calls',
        'jobs',
        'wall ms',
      ],
      [
        [
          r.failover.resources,
          r.failover.levels,
          n(r.failover.makespanSeconds),
          n(r.failover.criticalPathSeconds),
          n(r.failover.sequentialSeconds),
          `**${r.failover.makespanToCriticalPath}×**`,
          `**${r.failover.makespanToSequential}×**`,
          r.failover.startRestoreJobCalls,
          r.failover.restoreJobs,
          n(r.failover.wallMs),
        ],
      ],
    ),
    '',
    '## 4. Decision latency (alarm in → first StartRestoreJob, in-process, no simulated latency)',
    '',
    table(
      ['state', 'events', 'p50 ms', 'p99 ms', 'p99 / 20 ms target', 'inside API calls p50 ms'],
      r.decision.map((d) => [
        d.store,
        n(d.events),
        d.p50Ms,
        d.p99Ms,
        `**${d.p99ToTarget}×**`,
        d.inSimulatedCallsP50Ms,
      ]),
    ),
    '',
    '## 5. Cold start (esbuild bundle as the CDK construct builds it; import in a fresh Node process)',
    '',
    `Baseline: \`@aws-sdk/client-backup\` alone, ${(r.coldStart.baseline.bytes / 2 ** 20).toFixed(2)} MiB, imported in ${r.coldStart.baseline.importMs} ms.`,
    '',
    table(
      [
        'handler',
        'MiB',
        '× baseline size',
        '/ 1 MiB target',
        'import ms',
        '× baseline import',
        '/ 200 ms target',
      ],
      r.coldStart.handlers.map((h) => [
        h.entry,
        h.mib,
        h.toBaselineBytes,
        `**${h.toTarget.bytes}×**`,
        h.importMs,
        h.toBaselineImport,
        `**${h.toTarget.importMs}×**`,
      ]),
    ),
    '',
    `## 6. Cost model: ${r.cost.fleet.applications} applications audited every ${r.cost.fleet.auditEveryMinutes} minutes, one failover a month`,
    '',
    table(
      ['item', 'per month', 'USD'],
      r.cost.lines.map((l) => [l.item, n(l.quantity), l.usd.toFixed(4)]),
    ),
    '',
    `Total **$${r.cost.totalUsdPerMonth} a month** (${r.cost.toTarget}× the $5 target), against ` +
      `$${n(r.cost.arcRegionSwitchUsdPerMonth)} a month for ${r.cost.fleet.applications} ARC Region switch plans at $70 each. Prices and their sources: bench/cost.ts.`,
    '',
  ];
  return parts.join('\n');
}

/** `tsx bench/report.ts`: renders bench/results.json again into bench/results.md. */
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { readFile, writeFile } = await import('node:fs/promises');
  const results = JSON.parse(
    await readFile(new URL('./results.json', import.meta.url), 'utf8'),
  ) as BenchResults;
  await writeFile(new URL('./results.md', import.meta.url), renderMarkdown(results));
}
