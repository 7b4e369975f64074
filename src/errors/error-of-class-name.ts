/**
 * An Error whose class is named `name`. An error rebuilt from a worker thread's message must keep its
 * class name: Temporal records a failure's type from `error.constructor.name`, and retry policies
 * (`nonRetryableErrorTypes`) compare that type, not `error.name`.
 */
export function errorOfClassName(name: string, message: string): Error {
  const Named = { [name]: class extends Error {} }[name] ?? Error;
  const error = new Named(message);
  error.name = name;
  return error;
}
