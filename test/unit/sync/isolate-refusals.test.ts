import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../../src/errors/optimizely-auth-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { RecipientRefusalsError } from '../../../src/errors/recipient-refusals-error';
import { FAULT_PREFIX, FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { faultToError } from '../../../src/optimizely/client/fault-to-error';
import { MAX_REFUSED_PER_BATCH, sendIsolatingRefusals } from '../../../src/sync/isolate-refusals';

const where = { service: 'Recipient', operation: 'addAll3' };
const refusal = () =>
  new OptimizelyArgumentError(`fault soapenv:Server.userException: ${FAULT_TEXTS.recipientRefused} for call: recipientId='…'`, where);

/** A fake addAll3 over positions 0..size-1 that refuses any call holding a refused position. */
function fakeSend(refused: ReadonlySet<number>) {
  const sentOnce = new Map<number, number>();
  const send = async (start: number, end: number) => {
    for (let i = start; i < end; i += 1) if (refused.has(i)) throw refusal();
    for (let i = start; i < end; i += 1) sentOnce.set(i, (sentOnce.get(i) ?? 0) + 1);
    return Array.from({ length: end - start }, () => 0);
  };
  return { send, sentOnce };
}

const bound = (k: number, n: number) => 1 + 2 * k * Math.ceil(Math.log2(Math.max(2, n)));

describe('sendIsolatingRefusals', () => {
  it('sends a clean batch in one call', async () => {
    const { send } = fakeSend(new Set());
    expect(await sendIsolatingRefusals(1000, send)).toEqual({ codes: Array(1000).fill(0), refused: [], calls: 1 });
  });

  it('rejects exactly the refused positions, sends every other recipient once, within 1 + 2k⌈log2 n⌉ calls', async () => {
    const batch = fc
      .integer({ min: 1, max: 1000 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(MAX_REFUSED_PER_BATCH, n > 1 ? n - 1 : 1) }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(batch, async ([n, positions]) => {
        const refused = new Set(positions);
        const { send, sentOnce } = fakeSend(refused);
        const result = await sendIsolatingRefusals(n, send);
        expect(result.refused.map((r) => r.index).sort((a, b) => a - b)).toEqual([...refused].sort((a, b) => a - b));
        const expected = Array.from({ length: n }, (_, i) => (refused.has(i) ? 0 : 1));
        expect(Array.from({ length: n }, (_, i) => sentOnce.get(i) ?? 0)).toEqual(expected);
        expect(result.codes).toEqual(expected.map((once) => (once ? 0 : undefined)));
        expect(result.calls).toBeLessThanOrEqual(refused.size === 0 ? 1 : bound(refused.size, n));
      }),
      { numRuns: 150 },
    );
  });

  it('fails the batch as a whole when more recipients are refused than the cap, within a bounded number of calls', async () => {
    const batch = fc
      .integer({ min: MAX_REFUSED_PER_BATCH + 1, max: 1000 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: MAX_REFUSED_PER_BATCH + 1, maxLength: n }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(batch, async ([n, positions]) => {
        let calls = 0;
        const { send } = fakeSend(new Set(positions));
        const counted = (start: number, end: number) => ((calls += 1), send(start, end));
        await expect(sendIsolatingRefusals(n, counted)).rejects.toBeInstanceOf(RecipientRefusalsError);
        expect(calls).toBeLessThanOrEqual(bound(MAX_REFUSED_PER_BATCH + 1, n));
      }),
      { numRuns: 100 },
    );
  });

  it('treats a batch whose every recipient is refused on its own as refused as a whole', async () => {
    const { send } = fakeSend(new Set([0, 1, 2]));
    await expect(sendIsolatingRefusals(3, send)).rejects.toBeInstanceOf(RecipientRefusalsError);
  });

  it('rejects the single recipient of a one-recipient batch', async () => {
    const { send } = fakeSend(new Set([0]));
    expect((await sendIsolatingRefusals(1, send)).refused).toEqual([
      { index: 0, fault: expect.stringContaining(FAULT_TEXTS.recipientRefused) },
    ]);
  });

  it.each([
    ['a transient fault', new OptimizelyTransientError('HTTP 503', where)],
    ['an authentication fault', new OptimizelyAuthError('Invalid credentials.', where)],
    ['an unknown list', new OptimizelyArgumentError(FAULT_TEXTS.unknownList, where)],
    ['an unknown attribute', new OptimizelyArgumentError(FAULT_TEXTS.unknownAttribute, where)],
    ['an invalid opt-in process id', new OptimizelyArgumentError(`${FAULT_TEXTS.invalidArgument}: optinProcessId=9`, where)],
    [
      'an attribute name the writer cannot encode',
      new OptimizelyArgumentError('cannot encode request: attributeNames[3] contains a character XML 1.0 cannot carry', where),
    ],
    ['a plain error', new Error('connection reset')],
  ])('throws %s unchanged after one call, without narrowing down', async (_, error) => {
    let calls = 0;
    await expect(sendIsolatingRefusals(1000, async () => ((calls += 1), Promise.reject(error)))).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('narrows down a value the request writer cannot encode', async () => {
    const send = async (start: number, end: number) => {
      if (start <= 7 && 7 < end)
        throw new OptimizelyArgumentError(
          `cannot encode request: attributeValues[${7 - start}][5] contains a character XML 1.0 cannot carry`,
          where,
        );
      return Array.from({ length: end - start }, () => 0);
    };
    const result = await sendIsolatingRefusals(20, send);
    expect(result.refused).toEqual([
      { index: 7, fault: 'Recipient.addAll3: cannot encode request: attributeValues[0][5] contains a character XML 1.0 cannot carry' },
    ]);
  });

  it('refuses hostile answers: wrong length or codes outside 0–7 are response errors, never narrowed down', async () => {
    const answers = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 30 }).filter((codes) => codes.length !== 10),
      fc
        .array(fc.oneof(fc.integer(), fc.double()), { minLength: 10, maxLength: 10 })
        .filter((codes) => codes.some((c) => !Number.isInteger(c) || c < 0 || c > 7)),
    );
    await fc.assert(
      fc.asyncProperty(answers, async (codes) => {
        let calls = 0;
        await expect(sendIsolatingRefusals(10, async () => ((calls += 1), codes))).rejects.toBeInstanceOf(OptimizelyResponseError);
        expect(calls).toBe(1);
      }),
    );
  });

  it('keeps recipient data out of the recorded fault the client built from the server text', async () => {
    const faultString = `${FAULT_PREFIX}[sid,1234,api-user] ${FAULT_TEXTS.recipientRefused} for call: recipientListId='100', recipientId='anna@example.com'`;
    const send = async (start: number, end: number) => {
      if (start === 0) throw faultToError({ faultCode: 'soapenv:Server.userException', faultString }, where);
      return Array.from({ length: end - start }, () => 0);
    };
    const [refused] = (await sendIsolatingRefusals(2, send)).refused;
    expect(refused?.fault).toContain(FAULT_TEXTS.recipientRefused);
    expect(refused?.fault).not.toMatch(/anna|example\.com|api-user|sid/);
  });
});
