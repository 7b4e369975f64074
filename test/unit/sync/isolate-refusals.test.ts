import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../../src/errors/optimizely-auth-error';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { RecipientRefusalsError } from '../../../src/errors/recipient-refusals-error';
import { FAULT_PREFIX, FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { faultToError } from '../../../src/optimizely/client/fault-to-error';
import { MAX_REFUSED_PER_BATCH, NARROWING_PARTS, sendIsolatingRefusals } from '../../../src/sync/isolate-refusals';

const where = { service: 'Recipient', operation: 'addAll3' };
const refusal = () =>
  new OptimizelyArgumentError(`fault soapenv:Server.userException: ${FAULT_TEXTS.recipientRefused} for call: recipientId='…'`, where);

/** What a refused call's fault names: nothing, the refused recipients of the call, or anything at all. */
type Hint = { kind: 'none' } | { kind: 'truthful' } | { kind: 'arbitrary'; positions: number[] };

/** A fake addAll3 over positions 0..size-1 that refuses any call holding a refused position. */
function fakeSend(refused: ReadonlySet<number>, hint: Hint = { kind: 'none' }) {
  const sentOnce = new Map<number, number>();
  const send = async (start: number, end: number) => {
    const inCall = Array.from({ length: end - start }, (_, i) => i).filter((i) => refused.has(start + i));
    if (inCall.length > 0) {
      const error = refusal();
      if (hint.kind === 'truthful') error.namedPositions = inCall.slice(0, 1);
      if (hint.kind === 'arbitrary') error.namedPositions = hint.positions;
      throw error;
    }
    for (let i = start; i < end; i += 1) sentOnce.set(i, (sentOnce.get(i) ?? 0) + 1);
    return Array.from({ length: end - start }, () => 0);
  };
  return { send, sentOnce };
}

/**
 * The documented bound, computed here on its own: with d the least depth where 8^d ≥ n, rounds
 * 2 + d, calls 1 + (2·cap + 1) + 8·min(k, cap)·d (the second round may follow the fault's hint).
 */
function documentedBound(n: number, k: number): { calls: number; rounds: number } {
  if (k === 0) return { calls: 1, rounds: 1 };
  let depth = 0;
  while (NARROWING_PARTS ** depth < n) depth += 1;
  const cap = MAX_REFUSED_PER_BATCH;
  return { calls: 1 + Math.max(NARROWING_PARTS, 2 * cap + 1) + NARROWING_PARTS * Math.min(k, cap) * depth, rounds: 2 + depth };
}

const hints: fc.Arbitrary<Hint> = fc.oneof(
  fc.constant<Hint>({ kind: 'none' }),
  fc.constant<Hint>({ kind: 'truthful' }),
  fc.record({ kind: fc.constant('arbitrary' as const), positions: fc.array(fc.integer({ min: -3, max: 2600 }), { maxLength: 80 }) }),
);

/** A batch size, 0–12 refused positions in it and what the refused calls' faults name. */
const batchWithRefusals = fc
  .integer({ min: 1, max: 2500 })
  .chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(12, n) }), hints));

describe('sendIsolatingRefusals', () => {
  it('sends a clean batch in one call', async () => {
    const { send } = fakeSend(new Set());
    expect(await sendIsolatingRefusals(1000, send)).toEqual({ codes: Array(1000).fill(0), refused: [], calls: 1, rounds: 1 });
  });

  it('rejects exactly the refused positions and sends everyone else once, or fails the batch past the cap, within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(batchWithRefusals, async ([n, positions, hint]) => {
        const refused = new Set(positions);
        const { send, sentOnce } = fakeSend(refused, hint);
        let calls = 0;
        const counted = (start: number, end: number) => ((calls += 1), send(start, end));
        const bound = documentedBound(n, refused.size);
        if (refused.size > MAX_REFUSED_PER_BATCH || (n > 1 && refused.size === n)) {
          await expect(sendIsolatingRefusals(n, counted)).rejects.toBeInstanceOf(RecipientRefusalsError);
          expect(calls).toBeLessThanOrEqual(bound.calls);
          return;
        }
        const result = await sendIsolatingRefusals(n, counted);
        expect(result.refused.map((r) => r.index)).toEqual([...refused].sort((a, b) => a - b));
        const expected = Array.from({ length: n }, (_, i) => (refused.has(i) ? 0 : 1));
        expect(Array.from({ length: n }, (_, i) => sentOnce.get(i) ?? 0)).toEqual(expected);
        expect(result.codes).toEqual(expected.map((once) => (once ? 0 : undefined)));
        expect(result.calls).toBe(calls);
        expect(result.calls).toBeLessThanOrEqual(bound.calls);
        expect(result.rounds).toBeLessThanOrEqual(bound.rounds);
      }),
      { numRuns: 300 },
    );
  });

  it('fails the batch as a whole when more recipients are refused than the cap, within a bounded number of calls', async () => {
    const batch = fc
      .integer({ min: MAX_REFUSED_PER_BATCH + 1, max: 2500 })
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
        expect(calls).toBeLessThanOrEqual(documentedBound(n, positions.length).calls);
      }),
      { numRuns: 100 },
    );
  });

  it('narrows one refused recipient out of 1000 in a few rounds of concurrent calls when the fault names nobody', async () => {
    const { send } = fakeSend(new Set([500]));
    let inFlight = 0;
    let mostInFlight = 0;
    const tracked = async (start: number, end: number) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      return send(start, end);
    };
    const result = await sendIsolatingRefusals(1000, tracked);
    // 1000 → 8 × 125 → [500, 625) in 8 × 15–16 → [500, 515) in 8 × 1–2, the first being [500, 501).
    expect(result).toMatchObject({ refused: [{ index: 500 }], calls: 25, rounds: 4 });
    expect(mostInFlight).toBe(NARROWING_PARTS);
  });

  it('tries the recipient the fault names alone first: one refused in 1000 costs 4 calls in 2 rounds', async () => {
    const { send, sentOnce } = fakeSend(new Set([417]), { kind: 'truthful' });
    const result = await sendIsolatingRefusals(1000, send);
    expect(result).toMatchObject({ refused: [{ index: 417 }], calls: 4, rounds: 2 });
    expect(sentOnce.size).toBe(999);
  });

  it('costs one round more, not a wrong outcome, when the fault names the wrong recipient', async () => {
    const { send, sentOnce } = fakeSend(new Set([417]), { kind: 'arbitrary', positions: [3] });
    const result = await sendIsolatingRefusals(1000, send);
    expect(result.refused.map((r) => r.index)).toEqual([417]);
    expect(sentOnce.size).toBe(999);
    expect(result.rounds).toBeLessThanOrEqual(documentedBound(1000, 1).rounds);
  });

  it('waits for the calls of a round before throwing a fault that is not about recipients', async () => {
    let settled = 0;
    const send = async (start: number, end: number) => {
      if (end - start === 1000) throw refusal();
      await Promise.resolve();
      settled += 1;
      if (start === 0) throw new OptimizelyTransientError('HTTP 503', where);
      return Array.from({ length: end - start }, () => 0);
    };
    await expect(sendIsolatingRefusals(1000, send)).rejects.toBeInstanceOf(OptimizelyTransientError);
    expect(settled).toBe(NARROWING_PARTS);
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
