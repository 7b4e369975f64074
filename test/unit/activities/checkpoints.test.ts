import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import {
  CHECKPOINT_SHAPE_ERROR,
  ledgerCheckpointSchema,
  readCheckpoint,
  refillCheckpointSchema,
  windowCheckpointSchema,
} from '../../../activities/checkpoints';

// A checkpoint comes back from an earlier attempt, maybe written by another deploy: it is parsed, and a
// shape this code cannot read fails the attempt as non-retryable instead of resuming from a misreading.
const read = <T>(details: unknown, run: () => T): Promise<T> =>
  new MockActivityEnvironment({ heartbeatDetails: details }).run(async () => run());
const count = fc.nat();
const refillCheckpoint = fc.record(
  {
    nextBatch: count,
    sent: count,
    resultCodes: fc.dictionary(fc.constantFrom('0', '1', '5', '7'), count),
    rejected: count,
    unsubscribed: count,
  },
  { requiredKeys: ['nextBatch', 'sent', 'resultCodes'] },
);

describe('readCheckpoint', () => {
  it('returns nothing on a first attempt', async () => {
    expect(await read(undefined, () => readCheckpoint(refillCheckpointSchema, 'refill'))).toBeUndefined();
  });

  it('returns every well-formed refill checkpoint as it was written', async () => {
    await fc.assert(
      fc.asyncProperty(refillCheckpoint, async (checkpoint) => {
        expect(await read(checkpoint, () => readCheckpoint(refillCheckpointSchema, 'refill'))).toEqual(checkpoint);
      }),
      { numRuns: 50 },
    );
  });

  it('fails non-retryably, naming the field, on any other shape', async () => {
    const wrong = fc.oneof(
      fc.constantFrom<unknown>(
        7,
        'batch 3',
        [],
        true,
        { nextBatch: '3', sent: 0, resultCodes: {} },
        { nextBatch: -1, sent: 0, resultCodes: {} },
        { nextBatch: 1.5, sent: 0, resultCodes: {} },
        { batch: 3 },
      ),
      refillCheckpoint.map((c) => ({ ...c, resultCodes: { '0': 'many' } })),
      refillCheckpoint.map(({ sent: _sent, ...rest }) => rest),
    );
    await fc.assert(
      fc.asyncProperty(wrong, async (details) => {
        const error = await read(details, () => readCheckpoint(refillCheckpointSchema, 'refill')).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ApplicationFailure);
        expect(error).toMatchObject({ type: CHECKPOINT_SHAPE_ERROR, nonRetryable: true });
        expect((error as Error).message).toMatch(
          /^The refill checkpoint of an earlier attempt has a shape this code cannot read \(.+: .+\)$/,
        );
      }),
      { numRuns: 50 },
    );
  });

  it('reads the sent-ledger and response-window checkpoints strictly too', async () => {
    expect(await read(4, () => readCheckpoint(ledgerCheckpointSchema, 'sent ledger'))).toBe(4);
    await expect(read('4', () => readCheckpoint(ledgerCheckpointSchema, 'sent ledger'))).rejects.toMatchObject({
      type: CHECKPOINT_SHAPE_ERROR,
    });
    const window = { getterIndex: 1, startRow: 2000, counts: { bounce: { read: 3, applied: 2 } } };
    expect(await read(window, () => readCheckpoint(windowCheckpointSchema, 'response window'))).toEqual(window);
    await expect(
      read({ getterIndex: 1, startRow: 2000 }, () => readCheckpoint(windowCheckpointSchema, 'response window')),
    ).rejects.toMatchObject({ type: CHECKPOINT_SHAPE_ERROR });
  });
});
