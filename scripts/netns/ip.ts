/** Calls of iproute2 and tc, and the private subnets they may use: shared by every test and script that builds namespaces. */
import { execFileSync, spawn } from 'node:child_process';

const TIMEOUT_MS = 15_000;

/** Runs `ip` with the arguments; returns its stdout, throws with its stderr. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: TIMEOUT_MS });
}

/** What a failed command said on stderr, else the error's message. */
export function failureText(error: unknown): string {
  const stderr = (error as { stderr?: string | Buffer }).stderr?.toString().trim();
  return stderr || (error as Error).message;
}

/** Whether a failed spawn or exec was for want of the program itself. */
export function isMissingCommand(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

export function toNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

export function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

/** Whether the subnet at `base` of `bits` overlaps any route this machine has (default aside), in any table: a network someone uses. */
export function subnetInUse(base: number, bits: number): boolean {
  const routes = JSON.parse(ip('-4', '-j', 'route', 'show', 'table', 'all')) as { dst: string }[];
  return routes.some(({ dst }) => {
    if (dst === 'default') return false;
    const [address, length = '32'] = dst.split('/');
    const common = Math.min(Number(length), bits);
    const mask = common === 0 ? 0 : (~0 << (32 - common)) >>> 0;
    return ((toNumber(address) & mask) >>> 0) === ((base & mask) >>> 0);
  });
}

/** Runs a command; resolves with its stdout, rejects when it exits non-zero (with its stderr). */
export function run(command: string, args: string[], stdin = '', options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs ?? TIMEOUT_MS, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.once('error', reject);
    // A command that exits without reading its input (most `ip` calls) breaks the pipe; its exit status says what happened.
    child.stdin.on('error', () => undefined);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
    child.stdin.end(stdin);
  });
}
