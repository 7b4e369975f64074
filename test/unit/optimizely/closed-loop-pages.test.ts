import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { CLOSED_LOOP_COLUMNS, CLOSED_LOOP_GETTERS } from '../../../src/optimizely/api/closed-loop-columns';
import type { SoapValue } from '../../../src/optimizely/client/codec/soap-value';
import type { SoapCaller } from '../../../src/optimizely/client/soap-caller';
import { closedLoopService } from '../../../src/optimizely/client/services/closed-loop';
import { recipientService } from '../../../src/optimizely/client/services/recipient';

/** A caller whose every answer is `value`, as the codec would have decoded it. */
const answering = (value: SoapValue) => ({ call: async () => value }) as unknown as SoapCaller;

const cell = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }));
const page = fc.oneof(fc.constant(null), fc.array(fc.oneof(fc.constant(null), fc.array(cell, { maxLength: 8 })), { maxLength: 12 }));

describe('ClosedLoop and getAllAdvanced pages', () => {
  it('return only whole rows of the getter layout, never more than asked for, or refuse the page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CLOSED_LOOP_GETTERS),
        page,
        fc.integer({ min: 1, max: 10 }),
        async (getter, value, numberOfRows) => {
          const read = closedLoopService(answering(value))[getter]({ since: 0, until: 1, startRow: 0, numberOfRows });
          const rows = await read.catch((error: unknown) => {
            expect(error).toBeInstanceOf(OptimizelyResponseError);
            return undefined;
          });
          if (rows === undefined) return;
          expect(rows.length).toBeLessThanOrEqual(numberOfRows);
          for (const row of rows) expect(row).toHaveLength(CLOSED_LOOP_COLUMNS[getter].length);
          expect(rows).toEqual(value ?? []);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses an unsubscribe row cut before its list id, which would otherwise read as client-wide', async () => {
    const cut = [['r@x.test', '', '2026-06-01T10:00:00.000+00:00']];
    await expect(
      closedLoopService(answering(cut)).getUnsubscribes({ since: 0, until: 1, startRow: 0, numberOfRows: 1000 }),
    ).rejects.toThrow(/has 3 cells, not 4/);
  });

  it('holds getAllAdvanced to the attribute names and page size asked for', async () => {
    await fc.assert(
      fc.asyncProperty(page, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 10 }), async (value, width, pageSize) => {
        const attributeNames = Array.from({ length: width }, (_, i) => `a${i}`);
        const read = recipientService(answering(value)).getAllAdvanced({ listId: 1, attributeNames, pageStart: 0, pageSize });
        const rows = await read.catch((error: unknown) => {
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          return undefined;
        });
        if (rows === undefined) return;
        expect(rows.length).toBeLessThanOrEqual(pageSize);
        for (const row of rows) expect(row).toHaveLength(width);
      }),
      { numRuns: 500 },
    );
  });
});

describe('numbers Optimizely answers', () => {
  it('take a count only when it is zero or more', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constant(-0)), async (count) => {
        const read = recipientService(answering(count)).getCount({ listId: 1 });
        if (count >= 0) await expect(read).resolves.toBe(count);
        else await expect(read).rejects.toThrow(OptimizelyResponseError);
      }),
      { numRuns: 200 },
    );
  });

  it('take a server time only within 90 days of our clock: seconds, microseconds or 0 would move watermarks past real events', async () => {
    const now = Date.now();
    const day = 24 * 60 * 60 * 1000;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: now - 89 * day, max: now + 89 * day }),
          fc.constantFrom(0, -1, Math.floor(now / 1000), now * 1000, Number.MAX_SAFE_INTEGER, now + 120 * day, now - 120 * day),
        ),
        async (serverTime) => {
          const read = closedLoopService(answering(serverTime)).getCurrentTime();
          if (Math.abs(serverTime - now) < 89.5 * day) await expect(read).resolves.toBe(serverTime);
          else await expect(read).rejects.toThrow(/more than 90 days/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
