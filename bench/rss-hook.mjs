// Preloaded into the child `standby` process by bench/scale.ts: on exit, writes the process's peak
// resident set size (getrusage maxrss) to the file named by STANDBY_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.STANDBY_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
