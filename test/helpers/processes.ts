/** The process tree below a pid, read from /proc: what a command started, to check nothing is left behind. */
import { readdirSync, readFileSync } from 'node:fs';

/** Every process below `pid` (children, their children, …), found by parent pid. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const [child, ppid] of parents) if (ppid === parent) { found.push(child); visit(child); }
  };
  visit(pid);
  return found;
}

/** Running, as opposed to gone or a zombie: a killed region's nats-server is reaped by init, whenever init gets to it. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
