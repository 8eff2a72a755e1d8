import { describe, expect, it } from 'vitest';
import { Constants, ExpressionWriter, keyTerms, parseStatement, StatementError } from '../../src/core/partiql/index.js';
import type { KeyShape } from '../../src/core/types.js';

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

function error(statement: string): string {
  try {
    parseStatement(statement);
  } catch (caught) {
    expect(caught).toBeInstanceOf(StatementError);
    return (caught as Error).message;
  }
  throw new Error(`parsed: ${statement}`);
}

describe('PartiQL statements', () => {
  it('parses a SELECT with a projection, an index, a WHERE and ORDER BY', () => {
    const { statement, parameterCount } = parseStatement(
      'select a, "b c".d[1] FROM "t"."i" WHERE pk = ? AND begins_with(sk, \'x\') ORDER BY sk DESC;',
    );
    expect(parameterCount).toBe(1);
    expect(statement).toMatchObject({
      kind: 'select', table: 't', index: 'i', projection: [['a'], ['b c', 'd', 1]], orderBy: [{ attribute: 'sk', descending: true }],
    });
  });

  it('parses INSERT, UPDATE with SET/REMOVE and RETURNING, DELETE, EXISTS, with comments', () => {
    expect(parseStatement("INSERT INTO t VALUE {'pk': ?, 'l': [1, 'a', true, null], 's': <<1, 2>>} -- note").statement.kind).toBe('insert');
    const update = parseStatement('UPDATE t SET a = a + 1, b = ? SET c = list_append(c, [1]) REMOVE d.e[0] WHERE pk = 1 RETURNING MODIFIED NEW *');
    expect(update.statement).toMatchObject({ kind: 'update', returning: 'UPDATED_NEW' });
    expect((update.statement as { clauses: unknown[] }).clauses).toHaveLength(4);
    expect(parseStatement('DELETE FROM /* x */ "t" WHERE pk = 1 RETURNING ALL OLD *').statement).toMatchObject({ kind: 'delete', returning: 'ALL_OLD' });
    expect(parseStatement("EXISTS(SELECT * FROM t WHERE pk = 1 AND a IS NOT MISSING)").statement.kind).toBe('exists');
  });

  it('keeps a ? inside a string as text', () => {
    expect(parseStatement("SELECT * FROM t WHERE a = '?'").parameterCount).toBe(0);
  });

  it.each([
    ['SELECT * FROM "t" WHERE pk = 1 foo', `${NOT_WELL_FORMED}Unexpected token after expression`],
    ['SELECT * FROM "t" WHERE pk = 1)', `${NOT_WELL_FORMED}Unexpected token after expression`],
    ['DELETE FROM "t" WHERE pk = 1 ORDER BY pk', `${NOT_WELL_FORMED}Unexpected token after expression`],
    ['SELECT * FROM "t" ORDER BY pk WHERE pk = 1', `${NOT_WELL_FORMED}Unexpected token after expression`],
    ['INSERT INTO "t" t VALUE {\'pk\': 1}', `${NOT_WELL_FORMED}Unexpected token after expression`],
    ['SELECT * FROM "t" WHERE pk = 1 # note', NOT_WELL_FORMED],
    ['SELECT * FROM "t" WHERE pk = 1 /* note', NOT_WELL_FORMED],
    ['SELECT * FROM "t" t WHERE pk = 1', 'Aliasing is not supported'],
    ['SELECT * FROM "t" AS t WHERE pk = 1', 'Aliasing is not supported'],
    ['UPDATE "t" t SET a = 3 WHERE pk = 1', 'Aliasing is not supported'],
    ['SELECT * FROM "t" WHERE', `${NOT_WELL_FORMED}Unexpected term`],
    ['SELECT * FROM "t" WHERE NOT', `${NOT_WELL_FORMED}Unexpected term`],
    ['SELECT * FROM "t" WHERE (', `${NOT_WELL_FORMED}Unexpected term`],
    ['UPDATE "t" SET a = 1 WHERE', `${NOT_WELL_FORMED}Unexpected term`],
    ['SELECT * FROM', `${NOT_WELL_FORMED}Unexpected term`],
    ['SELECT * FROM "t" WHERE pk = 1 AND', `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`],
    ['SELECT * FROM "t" WHERE pk = 1 OR', `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`],
    ['SELECT * FROM "t" WHERE ORDER BY pk', `${NOT_WELL_FORMED}Unexpected keyword`],
    ['SELECT * FROM "t" WHERE IS NULL', `${NOT_WELL_FORMED}Unexpected operator`],
    ['SELECT * FROM "t" WHERE pk = LIKE', `${NOT_WELL_FORMED}Unexpected operator`],
    ["SELECT * FROM \"t\" WHERE pk = 'a' AND x IS FOO", `${NOT_WELL_FORMED}Expected type name`],
    ['DELETE FROM', `${NOT_WELL_FORMED}Expected identifier for simple path`],
    ["DELETE FROM WHERE pk = 'a'", `${NOT_WELL_FORMED}Expected identifier for simple path`],
    ['SLECT * FROM "t"', `${NOT_WELL_FORMED}Expected data manipulation`],
    ['SELECT *, a FROM "t"', "Other attributes should not be present in the projection when '*' is used."],
    ["INSERT INTO \"t\" VALUE {'pk': 1} RETURNING ALL OLD *", 'RETURNING is not supported in INSERT'],
    ['UPDATE "t" SET a = 1 WHERE pk = 1 RETURNING ALL NEW', "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"],
    ['DELETE FROM "t" WHERE pk = 1 RETURNING ALL NEW *', 'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.'],
    ['UPDATE "t" SET a = 1', 'Where clause does not contain a mandatory equality on all key attributes'],
  ])('refuses %s', (statement, message) => {
    expect(error(statement)).toBe(message);
  });

  it('refuses deep nesting without exhausting the stack', () => {
    expect(error(`SELECT * FROM t WHERE ${'('.repeat(5000)}a = 1${')'.repeat(5000)}`)).toMatch(/^Statement wasn't well formed/);
  });
});

describe('PartiQL binding and expressions', () => {
  const shape: KeyShape = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };

  it('binds ? in order and refuses too few parameters (more are ignored)', () => {
    const parsed = parseStatement('SELECT * FROM t WHERE pk = ? AND sk = ? AND a > ?');
    expect(() => Constants.bind([{ S: 'x' }], parsed.parameterCount)).toThrow("Number of parameters in request and statement don't match.");
    const constants = Constants.bind([{ S: 'x' }, { N: '1.50' }, { N: '2' }, { S: 'extra' }], parsed.parameterCount);
    const { key, rest } = keyTerms((parsed.statement as unknown as { where: never }).where, shape, constants, true);
    expect(key).toEqual({ pk: { S: 'x' }, sk: { N: '1.5' } });
    const writer = new ExpressionWriter(constants);
    expect(writer.condition(rest[0])).toBe('#n0 > :v0');
    expect(writer.placeholders()).toEqual({ ExpressionAttributeNames: { '#n0': 'a' }, ExpressionAttributeValues: { ':v0': { N: '2' } } });
  });

  it('requires the whole key for a write, of the schema type', () => {
    const where = (text: string) => (parseStatement(`DELETE FROM t WHERE ${text}`).statement as unknown as { where: never }).where;
    const none = Constants.bind([], 0);
    expect(() => keyTerms(where("pk = 'a'"), shape, none, true)).toThrow('Where clause does not contain a mandatory equality on all key attributes');
    expect(() => keyTerms(where('pk = 1 AND sk = 1'), shape, none, true)).toThrow("Key attribute's data type should match its data type in table's schema: Key pk");
  });

  it('writes IS MISSING, IS NULL, IN, BETWEEN and functions as DynamoDB expressions', () => {
    const parsed = parseStatement("SELECT * FROM t WHERE a IS MISSING OR NOT b IS NOT NULL AND c IN [1, 2] AND d BETWEEN 1 AND 5 AND size(e) > 2 AND contains(f, 'x')");
    const writer = new ExpressionWriter(Constants.bind([], 0));
    expect(writer.condition((parsed.statement as unknown as { where: never }).where)).toBe(
      '(attribute_not_exists(#n0)) OR (((((NOT (NOT attribute_type(#n1, :v0))) AND (#n2 IN (:v1, :v2))) AND (#n3 BETWEEN :v3 AND :v4)) AND (size(#n4) > :v5)) AND (contains(#n5, :v6)))',
    );
  });

  it('writes SET, REMOVE, set_add and set_delete as one UpdateExpression', () => {
    const parsed = parseStatement("UPDATE t SET a = a + 1, l = list_append(l, [1]) SET s = set_add(s, <<'x'>>) SET d = set_delete(d, <<2>>) REMOVE r WHERE pk = 'k'");
    const writer = new ExpressionWriter(Constants.bind([], 0));
    expect(writer.update((parsed.statement as unknown as { clauses: never }).clauses)).toBe(
      'SET #n0 = #n0 + :v0, #n1 = list_append(#n1, :v1) REMOVE #n4 ADD #n2 :v2 DELETE #n3 :v3',
    );
  });

  it.each([
    ["UPDATE t SET x = set_add(s, <<'x'>>) WHERE pk = 'k'", 'The first argument to SET_ADD must equal the assignment value at 1:18:7'],
    ["UPDATE t SET s = set_add(s, 'x') WHERE pk = 'k'", 'The second argument to SET_ADD must be a value with type SET at 1:18:7'],
    ['UPDATE t SET s = set_add(s) WHERE pk = 1', 'SET_ADD must have exactly two arguments at 1:18:7'],
    ['UPDATE t SET s = set_add(s, <<>>) WHERE pk = 1', 'Empty bags are not supported'],
  ])('refuses %s', (statement, message) => {
    const parsed = parseStatement(statement);
    const writer = new ExpressionWriter(Constants.bind([], 0));
    expect(() => writer.update((parsed.statement as unknown as { clauses: never }).clauses)).toThrow(message);
  });

  it.each([
    ["attribute_exists('ss')", 'Operator or function requires a document path; operator or function: attribute_exists'],
    ['attribute_exists()', 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0'],
    ['EXISTS(ss)', 'Unrecognized function: exists at 1:23:6'],
    ['a = MISSING', 'MISSING must be compared using IS operator'],
  ])('refuses the condition %s', (condition, message) => {
    const parsed = parseStatement(`SELECT * FROM t WHERE ${condition}`);
    const writer = new ExpressionWriter(Constants.bind([], 0));
    expect(() => writer.condition((parsed.statement as unknown as { where: never }).where)).toThrow(message);
  });
});
