/** DynamoDB expressions: parse every expression of a request at once, then evaluate, update, project. */
import { CoreValidationError, RequestLimitError } from '../errors.js';
import { setOwn } from '../plainData.js';
import type { AttributeValue } from '../types.js';
import { checkAttributeName, normalizeAttributeValue, utf8Length } from '../values.js';
import type { ConditionExpr, ProjectionExpr, UpdateExpr, KeyConditionExpr } from './ast.js';
import { Placeholders, ProblemSet, type ErrorCategory } from './context.js';
import { ExpressionError, ExpressionProblem, type ExpressionKind } from './errors.js';
import { Cursor, tokenize } from './lexer.js';
import { CONDITION_ERROR_ORDER, ConditionParser } from './parseCondition.js';
import { parseProjection, PROJECTION_ERROR_ORDER } from './parseProjection.js';
import { UpdateParser, UPDATE_ERROR_ORDER } from './parseUpdate.js';

export type { ConditionExpr, DocumentPath, KeyConditionExpr, Operand, ProjectionExpr, UpdateExpr } from './ast.js';
export { evaluateCondition } from './evaluate.js';
export { applyUpdate } from './update.js';
export { project, projectPaths } from './project.js';
export { keyConditionParts, matchKeySchema, resolveKeyCondition, type KeyCondition, type KeyConditionPart } from './keyCondition.js';
export { ExpressionError } from './errors.js';
export { conditionPaths, updatePaths } from './paths.js';

export interface ExpressionInput {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

export interface ParsedExpressions {
  condition?: ConditionExpr;
  update?: UpdateExpr;
  projection?: ProjectionExpr;
  keyCondition?: KeyConditionExpr;
  filter?: ConditionExpr;
}

const MAX_EXPRESSION_BYTES = 4096;

function fail(message: string): never {
  throw new ExpressionError(message);
}

/** Placeholder names are at most this many UTF-8 bytes, their `#` or `:` included. */
const MAX_PLACEHOLDER_BYTES = 255;

function checkPlaceholderKey(map: 'ExpressionAttributeNames' | 'ExpressionAttributeValues', key: string, pattern: RegExp): void {
  const bytes = utf8Length(key);
  if (bytes > MAX_PLACEHOLDER_BYTES) {
    fail(`${map} contains invalid key: The expression attribute map contains a key that is too long; size of key: ${bytes}`);
  }
  if (!pattern.test(key)) fail(`${map} contains invalid key: Syntax error; key: "${key}"`);
}

/** Every value of ExpressionAttributeValues checked and normalized; a problem is reported with its key. */
function normalizeValues(values: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const key of Object.keys(values)) {
    try {
      setOwn(out, key, normalizeAttributeValue(values[key]));
    } catch (error) {
      if (!(error instanceof CoreValidationError) || error instanceof RequestLimitError) throw error;
      fail(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
    }
  }
  return out;
}

function checkNames(names: Record<string, string>): void {
  for (const key of Object.keys(names)) {
    const name = names[key];
    if (name == null) fail(`ExpressionAttributeNames contains invalid value: null for key ${key}`);
    if (name === '') fail(`ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`);
    checkAttributeName(name);
  }
}

/** The placeholder maps checked in DynamoDB's order; returns the values normalized. */
function checkPlaceholders(input: ExpressionInput): Record<string, AttributeValue> | undefined {
  const names = input.ExpressionAttributeNames;
  if (names) {
    if (!Object.keys(names).length) fail('ExpressionAttributeNames must not be empty');
    for (const key of Object.keys(names)) checkPlaceholderKey('ExpressionAttributeNames', key, /^#[0-9a-zA-Z_]+$/);
  }
  const values = input.ExpressionAttributeValues;
  if (values) {
    if (!Object.keys(values).length) fail('ExpressionAttributeValues must not be empty');
    for (const key of Object.keys(values)) checkPlaceholderKey('ExpressionAttributeValues', key, /^:[0-9a-zA-Z_]+$/);
  }
  const normalized = values && normalizeValues(values);
  if (names) checkNames(names);
  return normalized;
}

/** The words each grammar keeps for itself: an attribute so named is a syntax error, not a reserved word. */
const CONDITION_KEYWORDS = ['BETWEEN', 'IN', 'AND', 'OR', 'NOT'];
const CONDITION_KINDS: readonly ExpressionKind[] = ['ConditionExpression', 'KeyConditionExpression', 'FilterExpression'];
const GRAMMAR_KEYWORDS: Record<ExpressionKind, readonly string[]> = {
  ConditionExpression: CONDITION_KEYWORDS,
  KeyConditionExpression: CONDITION_KEYWORDS,
  FilterExpression: CONDITION_KEYWORDS,
  UpdateExpression: ['SET', 'REMOVE', 'ADD', 'DELETE'],
  ProjectionExpression: [],
};

function parseOne<T>(
  kind: ExpressionKind, source: string, placeholders: Placeholders,
  parse: (cursor: Cursor, problems: ProblemSet) => T, order: readonly ErrorCategory[],
): T {
  try {
    if (source === '') throw new ExpressionProblem('The expression can not be empty;');
    if (new TextEncoder().encode(source).length > MAX_EXPRESSION_BYTES) {
      throw new ExpressionProblem(`Expression size has exceeded the maximum allowed size; expression size: ${source.length}`);
    }
    const problems = new ProblemSet(placeholders, CONDITION_KINDS.includes(kind) ? 'attrName' : 'attrVal');
    const parsed = parse(new Cursor(source, tokenize(source), GRAMMAR_KEYWORDS[kind]), problems);
    problems.throwFirst([...order]);
    return parsed;
  } catch (error) {
    if (error instanceof ExpressionProblem) fail(`Invalid ${kind}: ${error.message}`);
    throw error;
  }
}

const condition = (cursor: Cursor, problems: ProblemSet): ConditionExpr => new ConditionParser(cursor, problems).parse();

export function parseExpressions(input: ExpressionInput): ParsedExpressions {
  if (input.ConditionExpression === undefined && input.UpdateExpression === undefined && input.ProjectionExpression === undefined
    && input.KeyConditionExpression === undefined && input.FilterExpression === undefined
    && input.ExpressionAttributeNames === undefined && input.ExpressionAttributeValues === undefined) return {};
  const values = checkPlaceholders(input);
  const placeholders = new Placeholders(input.ExpressionAttributeNames, values);
  const parsed: ParsedExpressions = {};
  if (input.UpdateExpression !== undefined) {
    parsed.update = parseOne('UpdateExpression', input.UpdateExpression, placeholders, (c, p) => new UpdateParser(c, p).parse(), UPDATE_ERROR_ORDER);
  }
  if (input.ConditionExpression !== undefined) {
    parsed.condition = parseOne('ConditionExpression', input.ConditionExpression, placeholders, condition, CONDITION_ERROR_ORDER);
  }
  if (input.KeyConditionExpression !== undefined) {
    parsed.keyCondition = parseOne('KeyConditionExpression', input.KeyConditionExpression, placeholders, condition, CONDITION_ERROR_ORDER);
  }
  if (input.FilterExpression !== undefined) {
    parsed.filter = parseOne('FilterExpression', input.FilterExpression, placeholders, condition, CONDITION_ERROR_ORDER);
  }
  if (input.ProjectionExpression !== undefined) {
    parsed.projection = parseOne('ProjectionExpression', input.ProjectionExpression, placeholders, parseProjection, PROJECTION_ERROR_ORDER);
  }
  if (placeholders.unusedNames.size) {
    fail(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...placeholders.unusedNames].join(', ')}}`);
  }
  if (placeholders.unusedValues.size) {
    fail(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...placeholders.unusedValues].join(', ')}}`);
  }
  return parsed;
}
