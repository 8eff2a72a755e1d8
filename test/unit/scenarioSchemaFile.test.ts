import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchemaText } from '../../src/cli/schema.js';

const FILE = join(__dirname, '../../scenarios/scenario.schema.json');
const FIX = 'regenerate it with: node bin/globaltables.js schema > scenarios/scenario.schema.json';

describe('scenarios/scenario.schema.json', () => {
  it('is exactly what `globaltables schema` prints', () => {
    let onDisk: string;
    try {
      onDisk = readFileSync(FILE, 'utf8');
    } catch {
      throw new Error(`scenarios/scenario.schema.json cannot be read; ${FIX}`);
    }
    expect(onDisk, `scenarios/scenario.schema.json is out of date with the scenario format; ${FIX}`).toBe(scenarioJsonSchemaText());
  });

  it('describes every step kind and accepts bare steps whose arguments all have defaults', () => {
    const schema = JSON.parse(scenarioJsonSchemaText());
    expect(schema.title).toBe('globaltables scenario');
    const variants = schema.properties.steps.items.anyOf as { properties: Record<string, { description?: string; anyOf?: unknown[] }>; required: string[] }[];
    const heal = variants.find((v) => v.required[0] === 'heal')!;
    expect(heal.properties.heal.description).toMatch(/partition/);
    expect(heal.properties.heal.anyOf).toContainEqual({ type: 'null' });
    const sleep = variants.find((v) => v.required[0] === 'sleep')!;
    expect(sleep.properties.sleep.anyOf).toBeUndefined();
    expect(variants.every((v) => v.properties[v.required[0]].description)).toBe(true);
  });
});
