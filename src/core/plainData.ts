/**
 * Objects keyed by client data (attribute names, map keys, table and placeholder names) read and
 * written as plain data. Any string is a valid attribute name, `__proto__` and `constructor`
 * included: `obj[name] = v` with `__proto__` would set the object's prototype instead of a member,
 * and `obj[name]` or `name in obj` for a name the object lacks would find Object.prototype's.
 */

/** The object's own member, never an inherited one. */
export function own<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Sets an own member; only `__proto__` needs a property definition, every other name a plain store (the fast path). */
export function setOwn<T>(record: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}

/** A fixed lookup table keyed by client-supplied words (operators, type names): no inherited entries. */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
