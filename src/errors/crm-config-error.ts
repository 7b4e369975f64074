/** Thrown when the CRM configuration cannot be turned into a connection (e.g. urlEnv unset); permanent. */
export class CrmConfigError extends Error {
  override readonly name = 'CrmConfigError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`CRM configuration: ${reason}`, options);
  }
}
