/** ProjectionExpression grammar: comma-separated document paths that must not overlap. */
import type { ProjectionExpr } from './ast.js';
import type { ProblemSet } from './context.js';
import type { Cursor } from './lexer.js';
import { checkDisjoint, parsePath } from './paths.js';

export function parseProjection(cursor: Cursor, problems: ProblemSet): ProjectionExpr {
  const paths = [parsePath(cursor, problems)];
  while (cursor.accept(',')) paths.push(parsePath(cursor, problems));
  if (!cursor.atEnd()) cursor.fail();
  checkDisjoint(paths, problems);
  return { paths };
}

export const PROJECTION_ERROR_ORDER = ['reserved', 'attrName', 'pathOverlap', 'pathConflict', 'operand'] as const;
