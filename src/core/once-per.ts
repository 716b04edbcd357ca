// Work done once per object and kept as long as the object lives: per model (indexes, lists the
// same for every Service), per Service view. A WeakMap, so that a model or a view dropped takes
// what was kept for it along.

/** `compute`, run on a key's first call only; later calls with that key return its first answer. */
export function oncePer<K extends object, V extends NonNullable<unknown>>(compute: (key: K) => V): (key: K) => V {
  const kept = new WeakMap<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) kept.set(key, (value = compute(key)));
    return value;
  };
}
