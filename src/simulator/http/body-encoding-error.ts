/** A request body that is not valid UTF-8; answered with a fault, never decoded with U+FFFD. */
export class BodyEncodingError extends Error {
  override readonly name = 'BodyEncodingError';
  constructor() {
    super('Request body is not valid UTF-8');
  }
}
