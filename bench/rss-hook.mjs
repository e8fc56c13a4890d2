// Preloaded into the child `standby` process by bench/scale.ts: on exit, writes the process's peak
// resident set size (getrusage maxrss) and its CPU time to the file named by STANDBY_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.STANDBY_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        maxRssBytes: usage.maxRSS * 1024,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      }),
    );
  });
