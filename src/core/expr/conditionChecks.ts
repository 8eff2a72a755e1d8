/** The checks DynamoDB makes on a condition's functions and operators, as each is read. */
import { lookupTable } from '../plainData.js';
import type { AttributeValue } from '../types.js';
import { compareScalars } from '../values.js';
import type { Operand } from './ast.js';
import type { ProblemSet } from './context.js';
import { pathString } from './paths.js';

const ARITY = lookupTable({
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1,
});
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];
const ORDERED_TYPES = ['S', 'N', 'B'];

function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0];
}

function valueType(operand: Operand): string | undefined {
  return operand.kind === 'value' ? typeOf(operand.value) : operand.kind === 'size' ? 'N' : undefined;
}

export function checkFunction(problems: ProblemSet, name: string, args: Operand[]): void {
  const arity = ARITY[name];
  if (arity === undefined) {
    problems.add('unknownFunction', `Invalid function name; function: ${name}`);
    return;
  }
  if (args.length !== arity) {
    problems.add('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return;
  }
  if (args.length === 2 && args[0].kind === 'path' && args[1].kind === 'path' && pathString(args[0].path) === pathString(args[1].path)) {
    problems.add('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${name}, first operand: ${pathString(args[0].path)}`);
  }
  const fail = (type: string): void => problems.add('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
  if (name === 'attribute_exists' || name === 'attribute_not_exists' || name === 'size') {
    if (args[0].kind !== 'path') {
      if (name === 'size') {
        const type = valueType(args[0]);
        if (type && ['N', 'BOOL', 'NULL'].includes(type)) fail(type);
      } else problems.add('function', `Operator or function requires a document path; operator or function: ${name}`);
    }
  } else if (name === 'begins_with') {
    for (const arg of args) {
      const type = valueType(arg);
      if (type && type !== 'S' && type !== 'B') { fail(type); return; }
    }
  } else if (name === 'attribute_type') {
    const type = valueType(args[1]);
    if (type !== 'S') { fail(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}'); return; }
    const wanted = (args[1] as { value: { S: string } }).value.S;
    if (!TYPE_NAMES.includes(wanted)) {
      problems.add('function', `Invalid attribute type name found; type: ${wanted}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
    }
  }
}

export function checkDistinct(problems: ProblemSet, op: string, left: Operand, right: Operand): void {
  if (left.kind === 'path' && right.kind === 'path' && pathString(left.path) === pathString(right.path)) {
    problems.add('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${pathString(left.path)}`);
  }
}

/** Only strings, numbers and binaries have an order: a constant of another type is refused. */
export function checkOrderable(problems: ProblemSet, op: string, operands: Operand[]): void {
  for (const operand of operands) {
    const type = valueType(operand);
    if (type && !ORDERED_TYPES.includes(type)) {
      problems.add('function', `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`);
      return;
    }
  }
}

export function checkBetween(problems: ProblemSet, low: Operand, high: Operand): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const [lowType, highType] = [typeOf(low.value), typeOf(high.value)];
  // A map's keys are client data (a key `toString` would break String()): only text is shown as it is.
  const shown = (member: unknown): string => (typeof member === 'string' ? member : JSON.stringify(member));
  const show = (value: AttributeValue, type: string): string => `AttributeValue: {${type}:${shown((value as Record<string, unknown>)[type])}}`;
  const bounds = (): string => `lower bound operand: ${show(low.value, lowType)}, upper bound operand: ${show(high.value, highType)}`;
  if (lowType !== highType) {
    problems.add('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds()}`);
  } else if (!ORDERED_TYPES.includes(lowType)) {
    checkOrderable(problems, 'BETWEEN', [low]);
  } else if (compareScalars(low.value, high.value) === 1) {
    problems.add('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds()}`);
  }
}
