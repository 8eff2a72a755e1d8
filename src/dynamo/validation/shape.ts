/** Declarative request shapes: the wire type of each member and DynamoDB's constraints on it. */

export type Scalar = 'String' | 'Boolean' | 'Integer' | 'Long' | 'Double' | 'Blob';

export interface FieldRule {
  type: Scalar | 'List' | 'Map' | 'Struct' | 'AttrValue' | 'Item' | 'Any';
  /** Name of the struct in DynamoDB's model; appears in some serialization messages. */
  structName?: string;
  /** 'The parameter X is required but was not present in the request' (checked first). */
  required?: boolean;
  /**
   * A table operation's TableName: outside 3–255 characters it is refused on its own, before the
   * other constraints, with 'X must be at least 3 characters long and at most 255 characters long'.
   */
  tableNameLength?: boolean;
  notNull?: boolean;
  enum?: readonly string[];
  regex?: string;
  lengthMin?: number;
  lengthMax?: number;
  min?: number;
  max?: number;
  /** Struct members. */
  fields?: Record<string, FieldRule>;
  /** Element rule of a List, value rule of a Map. */
  element?: FieldRule;
  /** Constraints on Map keys (rendered as 'Map keys must satisfy constraint: […]'). */
  keys?: { lengthMin?: number; lengthMax?: number; regex?: string };
  /** Length constraints on a Map's values (rendered as 'Map value must satisfy constraint: […]'). */
  values?: { lengthMin: number; lengthMax: number };
}

export type RequestShape = Record<string, FieldRule>;

/** Shorthands keep operation shape tables short and readable. */
export const str = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'String', ...extra });
export const bool = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'Boolean', ...extra });
export const int = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'Integer', ...extra });
export const long = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'Long', ...extra });
export const list = (element: FieldRule, extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'List', element, ...extra });
export const map = (element: FieldRule, extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'Map', element, ...extra });
export const struct = (structName: string, fields: Record<string, FieldRule>, extra: Partial<FieldRule> = {}): FieldRule =>
  ({ type: 'Struct', structName, fields, ...extra });
export const attrValue = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'AttrValue', ...extra });
/** A map of attribute name to AttributeValue (Item, Key, ExpressionAttributeValues). */
export const itemMap = (extra: Partial<FieldRule> = {}): FieldRule => ({ type: 'Item', ...extra });

export const TABLE_NAME_PATTERN = '[a-zA-Z0-9_.-]+';

/** TableName of the table operations (CreateTable, DescribeTable, UpdateTable, DeleteTable, the TTL operations). */
export const tableOperationNameRule = (): FieldRule =>
  str({ required: true, tableNameLength: true, regex: TABLE_NAME_PATTERN });

/** TableName of a new table (CreateTable). */
export const newTableNameRule = tableOperationNameRule;

/** TableName of an existing table, as the item operations declare it. */
export const tableNameRule = (): FieldRule =>
  str({ notNull: true, regex: TABLE_NAME_PATTERN, lengthMin: 1, lengthMax: 255 });

export const returnConsumedCapacity = (): FieldRule => str({ enum: ['INDEXES', 'TOTAL', 'NONE'] });
export const returnItemCollectionMetrics = (): FieldRule => str({ enum: ['SIZE', 'NONE'] });
export const expressionNames = (): FieldRule => map(str());
export const expressionValues = (): FieldRule => itemMap();

const COMPARISON_OPERATORS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'];

/** Expected (PutItem, UpdateItem, DeleteItem): attribute name to ExpectedAttributeValue. */
export const expectedRule = (): FieldRule => map(struct('ExpectedAttributeValue', {
  Value: attrValue(),
  Exists: bool(),
  ComparisonOperator: str({ enum: COMPARISON_OPERATORS }),
  AttributeValueList: list(attrValue()),
}));

/** KeyConditions, QueryFilter, ScanFilter: attribute name to Condition. */
export const conditionsRule = (): FieldRule => map(struct('Condition', {
  ComparisonOperator: str({ notNull: true, enum: COMPARISON_OPERATORS }),
  AttributeValueList: list(attrValue()),
}));

/** AttributeUpdates (UpdateItem): attribute name to AttributeValueUpdate. */
export const attributeUpdatesRule = (): FieldRule => map(struct('AttributeValueUpdate', {
  Value: attrValue(),
  Action: str({ enum: ['ADD', 'DELETE', 'PUT'] }),
}));
