// Process bookkeeping for the benchmark suite: resident memory from /proc, the process tree under a
// pid (so a service's own children count towards it, and nothing the suite started outlives it).
import { readdirSync, readFileSync } from 'node:fs';

/** pid → parent pid for every process visible in /proc (Linux). */
function parentMap() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // comm (field 2) may hold spaces and parentheses: the fields after the last ')' are safe.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return parents;
}

/** Every live descendant of `pid` (children, grandchildren, …), not `pid` itself. */
export function descendants(pid) {
  const parents = parentMap();
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const [child, parent] of parents) {
      if (parent === current && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** VmRSS of one process in bytes (0 if it is gone). */
export function vmRss(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU time (user + system, all its threads) a process has used so far, in ms (0 if it is gone).
 * /proc counts it in clock ticks of 1/100 s on Linux (USER_HZ, fixed by the kernel's ABI).
 */
export function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime: fields 14 and 15 of stat(5), 12 and 13 after the comm.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Resident memory of a process and everything it started (worker threads are inside the process). */
export function treeRss(pid) {
  if (!pid) return 0;
  return [pid, ...descendants(pid)].reduce((sum, p) => sum + vmRss(p), 0);
}

/** Signals every descendant of this process (deepest first); used on failure and Ctrl-C. */
export function signalDescendants(signal) {
  for (const pid of descendants(process.pid).reverse()) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to every descendant, then SIGKILL to what is left after `graceMs` (bounded). */
export async function stopDescendants(graceMs = 5000) {
  signalDescendants('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (descendants(process.pid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  signalDescendants('SIGKILL');
}
