/**
 * The item form's text turned into DynamoDB requests. Rows read `name = value`: a number is N,
 * true/false BOOL, null NULL, "quoted" or anything else S. Or the text is DynamoDB JSON.
 */
import type { AttributeValue, Item } from '../../../core/types.js';

export type InputFormat = 'rows' | 'json';
export type ItemOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

export class ItemInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemInputError';
  }
}

function rowValue(text: string): AttributeValue {
  if (/^".*"$/.test(text)) return { S: text.slice(1, -1) };
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return { N: text };
  if (text === 'true' || text === 'false') return { BOOL: text === 'true' };
  if (text === 'null') return { NULL: true };
  return { S: text };
}

export function parseAttributes(text: string, format: InputFormat): Item {
  if (format === 'json') {
    if (!text.trim()) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ItemInputError('not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ItemInputError('DynamoDB JSON is an object of attributes, like {"id": {"S": "race"}}');
    return parsed as Item;
  }
  const item: Item = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at <= 0) throw new ItemInputError(`line ${i + 1}: write name = value`);
    item[line.slice(0, at).trim()] = rowValue(line.slice(at + 1).trim());
  }
  return item;
}

/** The request for one operation; an update SETs every attribute given. */
export function itemRequest(operation: ItemOperation, table: string, key: Item, attributes: Item): Record<string, unknown> {
  if (Object.keys(key).length === 0) throw new ItemInputError('the key is empty');
  switch (operation) {
    case 'PutItem':
      return { TableName: table, Item: { ...attributes, ...key } };
    case 'DeleteItem':
      return { TableName: table, Key: key };
    case 'UpdateItem': {
      const names = Object.keys(attributes).filter((n) => !(n in key));
      if (names.length === 0) throw new ItemInputError('an update needs attributes to set');
      return {
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, attributes[n]])),
      };
    }
  }
}
