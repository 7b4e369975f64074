import { defaultPayloadConverter, RawValue } from '@temporalio/common';
import fc from 'fast-check';
import { receivedMessage } from '../../../workflows/received-signal';

// Whatever payload a signal carries, its handler decodes it without throwing: the value the SDK's
// default converter gives, or a problem naming the encoding and the error's name, never the bytes
// (they may hold recipient data, and the problem goes to the worker's log).

const ENCODINGS = ['json/plain', 'binary/plain', 'binary/null', 'json/protobuf', 'binary/protobuf', 'x\u001b[2J', ''];
const payload = fc.record({
  metadata: fc.record({ encoding: fc.oneof(fc.constantFrom(...ENCODINGS), fc.string()).map((e) => Buffer.from(e)) }),
  data: fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  ),
});

/** The encoding as the problem prints it: printable ASCII, at most 40 characters, '?' for any other byte. */
function printable(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 40), (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?')).join('');
}

describe('receivedMessage', () => {
  it('decodes any payload as the default converter does, or names why not without its bytes', () => {
    fc.assert(
      fc.property(payload, fc.string({ minLength: 6, maxLength: 12 }), (p, secret) => {
        const withSecret = { ...p, data: Buffer.concat([Buffer.from(`"${secret}`), p.data]) };
        for (const raw of [p, withSecret]) {
          const received = receivedMessage([RawValue.fromPayload(raw)]);
          let expected: { message: unknown } | { thrown: Error };
          try {
            expected = { message: defaultPayloadConverter.fromPayload(raw) };
          } catch (error) {
            expected = { thrown: error as Error };
          }
          if ('thrown' in expected) {
            // Exactly the encoding (printable, from the metadata) and the error's name: nothing of the data,
            // which may hold the secret (a check that the secret is absent failed when it was also the encoding).
            const encoding = printable(raw.metadata.encoding);
            const name = expected.thrown.name;
            expect(name).toMatch(/^\w+$/);
            expect(received).toMatchObject({ problem: `the message cannot be decoded (encoding ${JSON.stringify(encoding)}: ${name})` });
          } else expect(received).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes a message that arrived decoded, or none, as it is', () => {
    expect(receivedMessage([{ by: 'ops' }])).toEqual({ message: { by: 'ops' } });
    expect(receivedMessage([])).toEqual({ message: undefined });
  });
});
