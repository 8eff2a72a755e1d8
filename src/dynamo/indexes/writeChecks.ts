/** What a local write must satisfy on a table with secondary indexes: index key attributes of the defined type, not empty. */
import { own } from '../../core/plainData.js';
import type { Item } from '../../core/types.js';
import { attributeType } from '../../core/values.js';
import { invalid } from '../errors.js';
import type { TableMeta } from '../tables.js';
import { indexShapeOf, maintainedIndexes } from './indexMeta.js';

export function checkIndexKeys(table: TableMeta, item: Item): void {
  for (const index of maintainedIndexes(table)) {
    const shape = indexShapeOf(table, index);
    for (const key of shape.range ? [shape.hash, shape.range] : [shape.hash]) {
      const value = own(item, key.name);
      if (!value) continue;
      const actual = attributeType(value);
      if (actual !== key.type) {
        invalid(`One or more parameter values were invalid: Type mismatch for Index Key ${key.name} Expected: ${key.type} Actual: ${actual} IndexName: ${index.name}`);
      }
      if ((actual === 'S' && (value as { S: string }).S === '') || (actual === 'B' && (value as { B: string }).B === '')) {
        invalid('One or more parameter values are not valid. A value specified for a secondary index key is not supported. '
          + `The AttributeValue for a key attribute cannot contain an empty ${actual === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${key.name}`);
      }
    }
  }
}
