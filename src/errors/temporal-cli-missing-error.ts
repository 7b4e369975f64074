import { TEMPORAL_INSTALL_HINT } from './hints';

/** Thrown when no `temporal` CLI can be found or installed; the message says what to install. */
export class TemporalCliMissingError extends Error {
  override readonly name = 'TemporalCliMissingError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`${reason}\n${TEMPORAL_INSTALL_HINT}`, options);
  }
}
