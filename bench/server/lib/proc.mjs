// What Linux says about a process (/proc): its memory, its CPU time and its open-file limit. The server bench reads
// the server's figures from outside, so that measuring them costs the server nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on every Linux the bench runs on). */
const TICKS = 100;

function status(pid) {
  return readFileSync(`/proc/${pid}/status`, 'utf8');
}

/** A `VmXxx:   1234 kB` field of /proc/<pid>/status, in bytes (NaN once the process is gone). */
function vm(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status(pid));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Resident memory now, in bytes. */
export const rss = (pid) => vm(pid, 'VmRSS');

/** The highest resident memory the process has had (its high-water mark), in bytes. */
export const peakRss = (pid) => vm(pid, 'VmHWM');

/** User + system CPU time the process has used, in milliseconds (its threads included: libuv's pool, GC). */
export function cpuMs(pid) {
  try {
    // The command name, in parentheses, may hold spaces: the fields start after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
  } catch {
    return NaN;
  }
}

/** The fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0), or null once it is gone. */
function statFields(pid) {
  try {
    // The command name, in parentheses, may hold spaces: the fields start after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The process's parent (PPid), or NaN once it is gone. */
export function parentPid(pid) {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : NaN;
}

/**
 * CPU time of a process and its children, in milliseconds: its own user + system time, what its children that ended
 * used (cutime + cstime, counted once the parent has reaped them), and the time of its living children. For a server
 * that forks a process per connection (PostgreSQL's postmaster) this is the whole server's.
 */
export function treeCpuMs(pid) {
  const own = statFields(pid);
  if (!own) return NaN;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS;
}

/**
 * Time the process's main thread (Node's event loop) has spent runnable but waiting for a core, in milliseconds
 * (/proc/<pid>/schedstat): on a shared machine this is how long other work kept the server from running.
 */
export function runQueueWaitMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** The machine's pressure-stall averages over 10 s (`some avg10`, in %) for cpu and io, or null without PSI. */
export function pressure() {
  const read = (kind) => {
    try {
      return Number(/^some avg10=([\d.]+)/m.exec(readFileSync(`/proc/pressure/${kind}`, 'utf8'))?.[1]);
    } catch {
      return NaN;
    }
  };
  return { cpu: read('cpu'), io: read('io') };
}

/** `{ soft, hard }` open-file limit of a process (`'self'` for this one); Infinity for "unlimited". */
export function fileLimit(pid = 'self') {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line ?? '')
    .replace('Max open files', '')
    .trim()
    .split(/\s+/)
    .map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  return { soft, hard };
}

/** How many file descriptors the process has open now (NaN once it is gone). */
export function openFiles(pid = 'self') {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

/** The file system a path lives on (`ext4 /dev/vda`, `tmpfs tmpfs`): an fdatasync on tmpfs costs nothing. */
export function fileSystemOf(path) {
  const full = resolve(path);
  let best = null;
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [device, mount, type] = line.split(' ');
    if (!mount) continue;
    const at = mount.replace(/\\040/g, ' ');
    if ((full === at || full.startsWith(at.endsWith('/') ? at : `${at}/`)) && (!best || at.length > best.at.length))
      best = { at, device, type };
  }
  return best ? `${best.type} (${best.device} on ${best.at})` : 'unknown';
}
