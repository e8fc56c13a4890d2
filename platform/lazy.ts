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
