/** Wire-level DynamoDB value types and the internal records built on them. */

/** An attribute value exactly as DynamoDB's JSON protocol carries it (B/BS are base64 strings). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

export type Item = Record<string, AttributeValue>;

/** Scalar types allowed for key attributes. */
export type KeyType = 'S' | 'N' | 'B';

/** A version orders writes across regions: ts, then counter, then region id. */
export interface Version {
  ts: number;
  counter: number;
  region: string;
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

/** The names and types of a table's (or index's) key attributes. */
export interface KeyShape {
  hash: { name: string; type: KeyType };
  range?: { name: string; type: KeyType };
}
