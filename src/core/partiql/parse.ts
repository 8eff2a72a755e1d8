/** Parses one PartiQL statement: SELECT, INSERT, UPDATE, DELETE, or EXISTS(SELECT …) in a transaction. */
import type { DocumentPath } from '../expr/ast.js';
import type {
  DeleteStatement, InsertStatement, OrderBy, ParsedStatement, ReturnValues, SelectStatement, Statement, UpdateClause, UpdateStatement,
} from './ast.js';
import { Cursor } from './cursor.js';
import { malformed, MESSAGES, refused } from './errors.js';
import { tokenize } from './lexer.js';
import { ExpressionParser, parsePath } from './parseExpr.js';

class StatementParser {
  private readonly expressions: ExpressionParser;

  constructor(private readonly c: Cursor) {
    this.expressions = new ExpressionParser(c);
  }

  statement(): Statement {
    const c = this.c;
    if (c.acceptWord('select')) return this.select();
    if (c.acceptWord('insert')) return this.insert();
    if (c.acceptWord('update')) return this.update();
    if (c.acceptWord('delete')) return this.remove();
    if (c.acceptWord('exists')) {
      c.expect('(', "Expected '('");
      c.expectWord('select', 'Expected SELECT');
      const select = this.select();
      c.expect(')', "Expected ')'");
      return { kind: 'exists', select };
    }
    if (c.atEnd()) malformed(MESSAGES.unexpectedTerm);
    return malformed('Expected data manipulation');
  }

  private tableName(missing: string): string {
    const token = this.c.peek();
    if (token.kind !== 'quoted' && (token.kind !== 'name' || Cursor.isKeyword(token))) malformed(missing);
    this.c.next();
    return token.text;
  }

  /** A name after the table is an alias, which DynamoDB refuses in its own words. */
  private refuseAlias(): void {
    const token = this.c.peek();
    if (this.c.isWord('as') || token.kind === 'quoted' || (token.kind === 'name' && !Cursor.isKeyword(token))) {
      refused('Aliasing is not supported');
    }
  }

  private select(): SelectStatement {
    const c = this.c;
    let projection: DocumentPath[] | undefined;
    if (c.accept('*')) {
      if (c.isPunct(',')) refused("Other attributes should not be present in the projection when '*' is used.");
    } else {
      projection = [];
      do projection.push(this.projectionPath()); while (c.accept(','));
    }
    c.expectWord('from', 'Expected FROM');
    const table = this.tableName(MESSAGES.unexpectedTerm);
    let index: string | undefined;
    if (c.accept('.')) index = this.tableName('Expected identifier for simple path');
    this.refuseAlias();
    const where = c.acceptWord('where') ? this.expressions.parse() : undefined;
    const orderBy: OrderBy[] = [];
    if (c.acceptWord('order')) {
      c.expectWord('by', 'Expected BY after ORDER');
      do {
        const token = c.next();
        if (token.kind !== 'name' && token.kind !== 'quoted') malformed('Expected identifier for simple path');
        const descending = c.acceptWord('desc');
        if (!descending) c.acceptWord('asc');
        orderBy.push({ attribute: token.text, descending });
      } while (c.accept(','));
    }
    return { kind: 'select', table, ...(index !== undefined ? { index } : {}), ...(projection ? { projection } : {}), ...(where ? { where } : {}), orderBy };
  }

  private projectionPath(): DocumentPath {
    const token = this.c.peek();
    if (token.kind !== 'name' && token.kind !== 'quoted') this.c.failTerm();
    if (this.c.peek(1).kind === 'punct' && this.c.peek(1).text === '(') refused(`Unexpected path component at ${token.line}:${token.column}:${token.length}`);
    return parsePath(this.c);
  }

  private insert(): InsertStatement {
    const c = this.c;
    c.expectWord('into', 'Expected INTO');
    const table = this.tableName('Expected identifier for simple path');
    if (!c.acceptWord('value')) {
      if (c.isWord('values')) refused('Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
      malformed(MESSAGES.leftover);
    }
    const item = this.expressions.parse();
    if (c.isWord('returning')) refused('RETURNING is not supported in INSERT');
    return { kind: 'insert', table, item };
  }

  private update(): UpdateStatement {
    const c = this.c;
    const table = this.tableName('Expected identifier for simple path');
    this.refuseAlias();
    const clauses: UpdateClause[] = [];
    for (;;) {
      if (c.acceptWord('set')) {
        do {
          const path = parsePath(c);
          c.expect('=', "Expected '='");
          clauses.push({ kind: 'set', path, value: this.expressions.parse() });
        } while (c.accept(','));
      } else if (c.acceptWord('remove')) {
        do clauses.push({ kind: 'remove', path: parsePath(c) }); while (c.accept(','));
      } else break;
    }
    if (!clauses.length) malformed('Expected SET or REMOVE');
    if (!c.acceptWord('where')) refused(MESSAGES.incompleteKey);
    const where = this.expressions.parse();
    const returning = this.returning();
    return { kind: 'update', table, clauses, where, ...(returning ? { returning } : {}) };
  }

  private remove(): DeleteStatement {
    const c = this.c;
    c.expectWord('from', 'Expected FROM');
    const table = this.tableName('Expected identifier for simple path');
    this.refuseAlias();
    if (!c.acceptWord('where')) refused(MESSAGES.incompleteKey);
    const where = this.expressions.parse();
    const returning = this.returning();
    if (returning && returning !== 'ALL_OLD') {
      refused(`Invalid returning clause: RETURNING ${returning.replace('UPDATED', 'MODIFIED').replace('_', ' ')} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
    }
    return { kind: 'delete', table, where, ...(returning ? { returning: 'ALL_OLD' as const } : {}) };
  }

  /** `RETURNING (ALL | MODIFIED) (OLD | NEW) *`. */
  private returning(): ReturnValues | undefined {
    const c = this.c;
    if (!c.acceptWord('returning')) return undefined;
    const scope = c.acceptWord('all') ? 'ALL' : c.acceptWord('modified') ? 'UPDATED' : malformed('Expected ALL or MODIFIED');
    const age = c.acceptWord('old') ? 'OLD' : c.acceptWord('new') ? 'NEW' : malformed('Expected OLD or NEW');
    if (!c.accept('*')) refused("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    if (c.isPunct(',')) refused('Invalid syntax with multiple returning elements in RETURNING clause');
    return `${scope}_${age}` as ReturnValues;
  }
}

export function parseStatement(source: string): ParsedStatement {
  const cursor = new Cursor(tokenize(source));
  const statement = new StatementParser(cursor).statement();
  cursor.finish();
  return { statement, parameterCount: cursor.parameterCount };
}
