// Samples the resident memory of every process whose command line matches, and keeps the peak of their sum:
// the memory the whole system needs at once (services plus the recognisers they spawn).
import { readdirSync, readFileSync } from 'node:fs';

function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb * 1024;
  } catch {
    return 0;
  }
}

function matching(pattern) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '))) pids.push(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** Starts sampling every `intervalMs`; `stop()` returns the peak total in MiB. */
export function sampleMemory(pattern, intervalMs = 100) {
  let peak = 0;
  const timer = setInterval(() => {
    const total = matching(pattern).reduce((sum, pid) => sum + rssOf(pid), 0);
    peak = Math.max(peak, total);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(peak / 2 ** 20);
    },
  };
}
