/** Thrown for input that is not well-formed or that uses features the simulator refuses (DTDs). */
export class XmlRejectedError extends Error {
  override readonly name = 'XmlRejectedError';
  constructor(readonly reason: string) {
    super(`Malformed request: ${reason}`);
  }
}
