/**
 * The files a set of entry modules load at run time: their static imports and re-exports (and
 * literal dynamic imports), followed through relative paths (`.js` resolved to `.ts`), type-only
 * imports left out since they load nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importsOf, lineAt, scanSource, type ScannedSource } from './sourceScan.js';

export interface ReachedFile {
  /** Path relative to the root, with forward slashes. */
  file: string;
  source: ScannedSource;
  /** The file that first imported this one (undefined for an entry). */
  importedBy?: string;
}

/** An import of a package or built-in (not followed), with where it is. */
export interface ExternalImport {
  file: string;
  line: number;
  specifier: string;
}

export interface ImportGraph {
  files: Map<string, ReachedFile>;
  external: ExternalImport[];
  /** Relative imports that name no file: the walk would otherwise miss what they load. */
  unresolved: ExternalImport[];
}

/** The file a relative specifier names, or undefined when none exists. */
function resolveRelative(root: string, from: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(from), specifier);
  const candidates = specifier.endsWith('.js') ? [base.slice(0, -3) + '.ts', base] : [base, `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((path) => existsSync(path) && !path.endsWith('/'));
  return found && relative(root, found).split('\\').join('/');
}

export function walkImports(root: string, entries: string[]): ImportGraph {
  const files = new Map<string, ReachedFile>();
  const external: ExternalImport[] = [];
  const unresolved: ExternalImport[] = [];
  const queue: ReachedFile[] = [];
  const visit = (file: string, importedBy?: string): void => {
    if (files.has(file)) return;
    const reached: ReachedFile = { file, source: scanSource(readFileSync(join(root, file), 'utf8')), ...(importedBy ? { importedBy } : {}) };
    files.set(file, reached);
    queue.push(reached);
  };
  for (const entry of entries) visit(entry);
  while (queue.length) {
    const { file, source } = queue.shift()!;
    for (const ref of importsOf(source)) {
      if (ref.typeOnly) continue;
      const where = { file, line: lineAt(source.code, ref.at), specifier: ref.specifier };
      if (!ref.specifier.startsWith('.')) {
        external.push(where);
        continue;
      }
      const target = resolveRelative(root, file, ref.specifier);
      if (target) visit(target, file);
      else unresolved.push(where);
    }
  }
  return { files, external, unresolved };
}

/** How the walk reached a file: entry → … → file. */
export function pathTo(graph: ImportGraph, file: string): string[] {
  const path = [file];
  for (let at = graph.files.get(file)?.importedBy; at; at = graph.files.get(at)?.importedBy) path.unshift(at);
  return path;
}
