/** One element of a parsed request: local name, attributes by local name, children, leaf text. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string> | null;
  children: XmlNode[];
  text: string;
}

/** Thrown for input that is not well-formed or that uses features the simulator refuses (DTDs). */
export class XmlRejectedError extends Error {
  override readonly name = 'XmlRejectedError';
  constructor(readonly reason: string) {
    super(`Malformed request: ${reason}`);
  }
}
