import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(__dirname, '../../src/core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const FORBIDDEN_IMPORTS = /from\s+['"](node:|fs['"]|path['"]|buffer['"]|crypto['"]|lmdb|@nats-io\/|hono|@hono\/)/;
const FORBIDDEN_GLOBALS = /\b(Buffer\.|Date\.now\(|Math\.random\(|setTimeout\(|setInterval\(|process\.)/;

describe('src/core stays pure', () => {
  const sources = files(CORE);

  it('has modules to check', () => {
    expect(sources.length).toBeGreaterThan(10);
  });

  it.each(sources.map((path) => [path.slice(CORE.length + 1), path]))('%s imports no I/O and uses no hidden nondeterminism', (_name, path) => {
    const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(text).not.toMatch(FORBIDDEN_IMPORTS);
    expect(text).not.toMatch(FORBIDDEN_GLOBALS);
  });
});

describe('src/sim stays deterministic', () => {
  const SIM = join(__dirname, '../../src/sim');
  const sources = files(SIM);

  it('has modules to check', () => {
    expect(sources.length).toBeGreaterThan(0);
  });

  // Time and randomness come in through the Clock seam and seeded sources, so a run replays exactly.
  // The scheduler alone may use setImmediate: its one macrotask hop lets promise chains finish (see scheduler.ts).
  it.each(sources.map((path) => [path.slice(SIM.length + 1), path]))('%s uses no hidden nondeterminism', (name, path) => {
    const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(text).not.toMatch(/\b(Date\.now\(|Math\.random\(|setTimeout\(|setInterval\(|performance\.now\()/);
    if (name !== 'scheduler.ts') expect(text).not.toMatch(/\bsetImmediate\(/);
  });
});
