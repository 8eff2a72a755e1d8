/** PartiQL for DynamoDB: parse a statement, bind its parameters, write its parts as DynamoDB expressions. */
export type { ParsedStatement, PqExpr, ReturnValues, SelectStatement, Statement, UpdateStatement } from './ast.js';
export { parseStatement } from './parse.js';
export { Constants } from './constants.js';
export { ExpressionWriter } from './writer.js';
export { conjunctsOf, equalityOn, isFullKey, keyTerms, type KeyTerms } from './keys.js';
export { StatementError } from './errors.js';
