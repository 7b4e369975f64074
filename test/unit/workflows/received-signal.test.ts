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

describe('receivedMessage', () => {
  it('decodes any payload as the default converter does, or names why not without its bytes', () => {
    fc.assert(
      fc.property(payload, fc.string({ minLength: 6, maxLength: 12 }), (p, secret) => {
        const withSecret = { ...p, data: Buffer.concat([Buffer.from(`"${secret}`), p.data]) };
        for (const raw of [p, withSecret]) {
          const received = receivedMessage([RawValue.fromPayload(raw)]);
          let expected: { message: unknown } | 'throws';
          try {
            expected = { message: defaultPayloadConverter.fromPayload(raw) };
          } catch {
            expected = 'throws';
          }
          if (expected === 'throws') {
            expect(received).toMatchObject({
              problem: expect.stringMatching(/^the message cannot be decoded \(encoding "[\x20-\x7e]*": \w+\)$/),
            });
            expect((received as { problem: string }).problem).not.toContain(secret);
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
