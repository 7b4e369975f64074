/** Thrown at start-up when the environment is wrong; lists every problem with its variable. */
export class RuntimeEnvError extends Error {
  override readonly name = 'RuntimeEnvError';
}
