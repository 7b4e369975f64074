/**
 * Runs tasks one after another. The SQLite adapter uses one connection, and an async task awaiting
 * between statements must not let another task's statements into its transaction.
 */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = tail.then(task, task);
    tail = next.catch(() => undefined);
    return next;
  };
}
