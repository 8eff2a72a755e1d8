/** Projection: copies only the named document paths, keeping their nesting. */
import type { AttributeValue, Item } from '../types.js';
import type { DocumentPath, ProjectionExpr } from './ast.js';
import { own, setOwn } from '../plainData.js';

type Tree = Map<string | number, Tree | true>;

function insert(tree: Tree, path: DocumentPath): void {
  let node = tree;
  path.forEach((step, i) => {
    if (i === path.length - 1) { node.set(step, true); return; }
    let child = node.get(step);
    if (child === true) return;
    if (!child) { child = new Map(); node.set(step, child); }
    node = child;
  });
}

function pick(value: AttributeValue, tree: Tree): AttributeValue | undefined {
  if ('M' in value) {
    const out: Item = {};
    for (const [step, sub] of tree) {
      const child = typeof step === 'string' ? own(value.M, step) : undefined;
      if (!child) continue;
      const picked = sub === true ? child : pick(child, sub);
      if (picked) setOwn(out, step as string, picked);
    }
    return Object.keys(out).length ? { M: out } : undefined;
  }
  if ('L' in value) {
    // DynamoDB returns the selected elements in list order, compacted.
    const indexes = [...tree.keys()].filter((k): k is number => typeof k === 'number').sort((a, b) => a - b);
    const out: AttributeValue[] = [];
    for (const index of indexes) {
      const child = value.L[index];
      if (!child) continue;
      const sub = tree.get(index)!;
      const picked = sub === true ? child : pick(child, sub);
      if (picked) out.push(picked);
    }
    return out.length ? { L: out } : undefined;
  }
  return undefined;
}

export function projectPaths(item: Item, paths: DocumentPath[]): Item {
  const tree: Tree = new Map();
  for (const path of paths) insert(tree, path);
  const picked = pick({ M: item }, tree);
  return picked && 'M' in picked ? picked.M : {};
}

export function project(item: Item, expr: ProjectionExpr): Item {
  return projectPaths(item, expr.paths);
}
