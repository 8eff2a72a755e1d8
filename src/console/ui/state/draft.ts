/**
 * Copy-on-write for a batch of events: the first change to an object in a batch copies it, later
 * ones in the same batch change the copy. The state stays immutable between batches (views compare
 * by reference), and a batch of a thousand changes to one table copies its rows once, not a
 * thousand times.
 */
export class Draft<T extends object> {
  private readonly owned = new WeakSet<object>();
  readonly root: T;

  constructor(state: T) {
    this.root = this.copy(state);
  }

  /** The child object at parent[key], copied once per batch; parent must come from this draft. */
  child<C extends object>(parent: object, key: string | number): C {
    const holder = parent as Record<string | number, C>;
    const value = holder[key];
    if (this.owned.has(value)) return value;
    const copied = this.copy(value);
    holder[key] = copied;
    return copied;
  }

  /** A new object this draft may change freely. */
  adopt<C extends object>(value: C): C {
    this.owned.add(value);
    return value;
  }

  private copy<C extends object>(value: C): C {
    const copied = (Array.isArray(value) ? value.slice() : { ...value }) as C;
    this.owned.add(copied);
    return copied;
  }
}
