/**
 * A value built once per process (a Lambda container, a Functions worker) on first use. A build that
 * fails is not kept, so the next call tries again — a throttled secret read at cold start must not
 * fail every invocation until the process is recycled.
 */
export function builtOnce<T>(build: () => Promise<T>): () => Promise<T> {
  let building: Promise<T> | undefined;
  return () => {
    building ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        building = undefined;
        throw error;
      });
    return building;
  };
}

/** One value per key (an SDK client per region, an adapter per account), made on first use and kept. */
export function builtPerKey<K, T>(make: (key: K) => T): (key: K) => T {
  const made = new Map<K, T>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
