/**
 * DynamoDB's limit on nested attribute values (documented: "nested attributes up to 32 levels
 * deep"), measured without recursion so that it can run before anything walks a value
 * recursively: a request can nest values thousands of levels deep in a few kilobytes.
 */

/** An item's top-level attribute value is level 1; a map or list member is one level below it. */
export const MAX_NESTING_LEVELS = 32;

/** DynamoDB's message, for items and ExpressionAttributeValues alike. */
export const NESTING_LIMIT_MESSAGE = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when a value as sent (JSON not yet checked for types) holds an attribute value below
 * level 32: members of an M map and elements of an L list count, anything else is left to the
 * type checks that follow.
 */
export function nestedTooDeep(value: unknown, level = 1): boolean {
  const pending: [unknown, number][] = [[value, level]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (!isJsonObject(current)) continue;
    if (depth > MAX_NESTING_LEVELS) return true;
    const { M, L } = current;
    if (isJsonObject(M)) for (const name in M) pending.push([M[name], depth + 1]);
    if (Array.isArray(L)) for (const element of L) pending.push([element, depth + 1]);
  }
  return false;
}
