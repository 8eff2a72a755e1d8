/** Scenario files: YAML checked against the format one step at a time, then cross-checked; every problem has a line. */
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLError } from 'yaml';
import { closest, formatPath, PLAIN_ERRORS, plainIssues, ScenarioError, show, type Path, type ScenarioProblem } from './loadErrors.js';
import { ScenarioHeaderSchema, stepSchemas, type Scenario, type ScenarioHeader, type Step, type StepKind } from './schema.js';

export { ScenarioError, type ScenarioProblem } from './loadErrors.js';

const KINDS = Object.keys(stepSchemas) as StepKind[];

/** A problem before its line is looked up. */
interface Found {
  path: Path;
  message: string;
}

export function loadScenario(file: string): Scenario {
  return parseScenario(readFileSync(file, 'utf8'), file);
}

export function parseScenario(text: string, file: string): Scenario {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  if (document.errors.length) throw new ScenarioError(file, [syntaxProblem(document.errors[0])]);
  if (document.contents === null) throw new ScenarioError(file, [{ path: '(top level)', message: 'the file is empty; expected a map with name, regions and steps' }]);
  const root: unknown = document.toJS();
  const lineAt = (path: Path) => lineOf(document.contents, path, counter);

  const header = ScenarioHeaderSchema.safeParse(root, PLAIN_ERRORS);
  const found: Found[] = header.success ? [] : plainIssues(header.error.issues, [], root);
  const rawSteps = valueOf(root, 'steps');
  const parsed = (Array.isArray(rawSteps) ? rawSteps : []).map((raw, index) => parseStep(raw, index, root));
  found.push(...parsed.flatMap((p) => p.problems));
  const steps = parsed.flatMap((p) => (p.step ? [p.step] : []));
  // Cross-checks only make sense on a document that fits the format; before that they would mostly echo its problems.
  if (!found.length && header.success) found.push(...crossCheck(header.data, steps));
  if (found.length) throw new ScenarioError(file, toProblems(found, lineAt));

  const { steps: _rawSteps, ...fields } = header.data as ScenarioHeader;
  return { file, ...fields, steps: steps.map((step) => ({ ...step, line: lineAt(['steps', step.index]) })) };
}

/** yaml's first error only: later ones usually follow from it. Its message repeats the position and quotes the source. */
function syntaxProblem(error: YAMLError): ScenarioProblem {
  const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return { line: error.linePos?.[0].line, path: '(top level)', message: `YAML syntax: ${message}` };
}

function toProblems(found: Found[], lineAt: (path: Path) => number | undefined): ScenarioProblem[] {
  const problems = found.map(({ path, message }) => ({ line: lineAt(path), path: formatPath(path), message }));
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function valueOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

const isKind = (key: string): key is StepKind => (KINDS as string[]).includes(key);

/** One entry of `steps`: a map whose single key is the step kind and whose value is the step's arguments. */
function parseStep(raw: unknown, index: number, root: unknown): { step?: Step; problems: Found[] } {
  const at: Path = ['steps', index];
  const fail = (message: string) => ({ problems: [{ path: at, message }] });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(`expected a map with one key, the step kind, found ${show(raw)}`);
  const keys = Object.keys(raw);
  if (keys.length !== 1) return fail(`expected a map with one key, the step kind, found ${show(raw)}${indentHint(raw as Record<string, unknown>)}`);
  const kind = keys[0];
  if (!isKind(kind)) return fail(unknownKind(kind));
  // `- heal:` has no value at all; it means "no arguments", so that steps whose arguments all have defaults can be written bare.
  const value = (raw as Record<string, unknown>)[kind] ?? {};
  const result = stepSchemas[kind].safeParse(value, PLAIN_ERRORS);
  if (!result.success) return { problems: plainIssues(result.error.issues, [...at, kind], root) };
  return { step: { kind, args: result.data, index } as Step, problems: [] };
}

/** `- put:` followed by fields at the same indentation makes them siblings of the kind instead of its arguments. */
function indentHint(raw: Record<string, unknown>): string {
  const kinds = Object.keys(raw).filter(isKind);
  return kinds.length === 1 && raw[kinds[0]] == null ? `; indent the fields of "${kinds[0]}" under it` : '';
}

function unknownKind(kind: string): string {
  const suggestion = closest(kind, KINDS);
  return `unknown step "${kind}"; expected one of ${KINDS.join(', ')}${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
}

/**
 * The line of the YAML node at a path: through maps by key (the key's line, so a block map's problems point at
 * its header) and sequences by index; where the path leaves the document, the nearest ancestor's line.
 */
function lineOf(node: unknown, path: Path, counter: LineCounter): number | undefined {
  const lineOfNode = (n: unknown) => {
    const offset = (n as { range?: [number] } | null | undefined)?.range?.[0];
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
  let line = lineOfNode(node);
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(step));
      if (!pair) break;
      line = lineOfNode(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      node = node.items[step];
      line = lineOfNode(node) ?? line;
    } else {
      break;
    }
  }
  return line;
}

/** Checks that need the whole scenario: names that must refer to something declared or created earlier. */
function crossCheck(header: ScenarioHeader, steps: Step[]): Found[] {
  return [...duplicateRegions(header), ...undeclaredRegions(header, steps), ...tablesBeforeCreation(steps), ...links(steps)];
}

function duplicateRegions(header: ScenarioHeader): Found[] {
  const first = new Map<string, number>();
  return header.regions.flatMap((region, index) => {
    const earlier = first.get(region.name);
    if (earlier === undefined) first.set(region.name, index);
    return earlier === undefined ? [] : [{ path: ['regions', index, 'name'], message: `region "${region.name}" is declared twice (also regions[${earlier}])` }];
  });
}

const REGION_FIELDS = ['region', 'from', 'to', 'regions', 'replicas', 'groups'] as const;

/** Every region name in a step's arguments; item data (`item`, `key`, `values`…) is the user's and is not looked into. */
function regionRefs(args: Record<string, unknown>, base: Path): [Path, string][] {
  const names = (value: unknown, path: Path): [Path, string][] =>
    Array.isArray(value) ? value.flatMap((v, i) => names(v, [...path, i])) : typeof value === 'string' ? [[path, value]] : [];
  // `regions: all` and `replicas: all` mean every declared region rather than one named "all".
  return REGION_FIELDS.flatMap((field) => (typeof args[field] === 'string' && (field === 'regions' || field === 'replicas') ? [] : names(args[field], [...base, field])));
}

function undeclaredRegions(header: ScenarioHeader, steps: Step[]): Found[] {
  const declared = [...new Set(header.regions.map((r) => r.name))];
  return steps.flatMap((step) => {
    const base: Path = ['steps', step.index, step.kind];
    const args = step.args as Record<string, unknown>;
    const nested = step.kind === 'expect' && step.args.item ? regionRefs(step.args.item, [...base, 'item']) : [];
    return [...regionRefs(args, base), ...nested]
      .filter(([, name]) => !declared.includes(name))
      .map(([path, name]) => ({ path, message: `region "${name}" is not declared; declared: ${declared.join(', ')}` }));
  });
}

/** The tables a step reads or writes, with where each is named. */
function tableRefs(step: Step, base: Path): [Path, string][] {
  if (step.kind === 'createTable') return [];
  if (step.kind === 'waitConverged') return (step.args.tables ?? []).map((table, i) => [[...base, 'tables', i], table]);
  if (step.kind === 'expect') {
    const { item, conflicts } = step.args;
    const refs: [Path, string][] = [];
    if (item) refs.push([[...base, 'item', 'table'], item.table]);
    if (conflicts?.table) refs.push([[...base, 'conflicts', 'table'], conflicts.table]);
    return refs;
  }
  const table = (step.args as { table?: string }).table;
  return table ? [[[...base, 'table'], table]] : [];
}

function tablesBeforeCreation(steps: Step[]): Found[] {
  const creators = new Map<string, number>();
  for (const step of steps) if (step.kind === 'createTable' && !creators.has(step.args.table)) creators.set(step.args.table, step.index);
  return steps.flatMap((step) => tableRefs(step, ['steps', step.index, step.kind]).flatMap(([path, table]): Found[] => {
    const creator = creators.get(table);
    if (creator === undefined) return [{ path, message: `table "${table}" is not created by any createTable step` }];
    return creator < step.index ? [] : [{ path, message: `table "${table}" is used before steps[${creator}] creates it` }];
  }));
}

/**
 * A link joins two different regions, a partition puts each region in one group only, and a replica
 * is added or removed through another region (DynamoDB refuses ReplicaUpdates for the local region).
 */
function links(steps: Step[]): Found[] {
  return steps.flatMap((step): Found[] => {
    const base: Path = ['steps', step.index, step.kind];
    if (step.kind === 'partition' && 'groups' in step.args) return repeatedInGroups(step.args.groups, [...base, 'groups']);
    if (step.kind === 'addReplica' || step.kind === 'removeReplica') {
      const { from, region } = step.args;
      return from === region ? [{ path: [...base, 'from'], message: `from and region are both "${region}"; expected another region holding the table to coordinate` }] : [];
    }
    if (!['latency', 'networkFaults', 'partition', 'heal'].includes(step.kind)) return [];
    const { from, to } = step.args as { from?: string; to?: string };
    return from !== undefined && from === to ? [{ path: [...base, 'to'], message: `from and to are both "${from}"; expected two different regions` }] : [];
  });
}

function repeatedInGroups(groups: string[][], base: Path): Found[] {
  const groupOf = new Map<string, number>();
  return groups.flatMap((group, g) => group.flatMap((name, i): Found[] => {
    const earlier = groupOf.get(name);
    if (earlier === undefined) groupOf.set(name, g);
    return earlier === undefined ? [] : [{ path: [...base, g, i], message: `region "${name}" is already in groups[${earlier}]` }];
  }));
}
