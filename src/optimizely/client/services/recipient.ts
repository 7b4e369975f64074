import { OptimizelyArgumentError } from '../../../errors/optimizely-argument-error';
import { OptimizelyResponseError } from '../../../errors/optimizely-response-error';
import type { ResultCode } from '../../api/result-codes';
import type { AddAll3Input, Cell, RecipientPort } from '../optimizely-port';
import { recipientPositionsNamedIn } from '../named-recipients';
import type { SoapCaller } from '../soap-caller';
import { expectBooleans, expectCells, expectCount, expectNumbers, expectPage, splitFlatRows } from './expect-value';

/** Elements per array call (reference 3.5: 1000, inferred with high confidence). */
export const MAX_BATCH_SIZE = 1000;
const SERVICE = 'Recipient';

export function recipientService(caller: SoapCaller): RecipientPort {
  return {
    async clear({ listId }, options) {
      await caller.call(SERVICE, 'clear', [listId], options);
    },
    async addAll3(input, options) {
      checkBatch('addAll3', input.recipientIds.length, [input.addresses.length], input.attributeNames, input.attributeValues);
      const { listId, optinProcessId, recipientIds, addresses, attributeNames, attributeValues } = input;
      const args = [listId, optinProcessId, recipientIds, addresses, attributeNames, attributeValues];
      let named: number[] = [];
      const readFault = (text: string) => (named = recipientPositionsNamedIn(text, recipientIds));
      const subject = onList(listId);
      const value = await caller.call(SERVICE, 'addAll3', args, { ...options, readFault, subject }).catch((error: unknown) => {
        if (error instanceof OptimizelyArgumentError && named.length > 0) error.namedPositions = named;
        throw error;
      });
      return resultCodes(expectNumbers(value, { service: SERVICE, operation: 'addAll3', subject }), input);
    },
    async setAttributesInBatch({ listId, recipientIds, attributeNames, attributeValues }, options) {
      checkBatch('setAttributesInBatch', recipientIds.length, [], attributeNames, attributeValues);
      // The wire form takes names per recipient; the pipeline always sends the same names.
      const names = recipientIds.map(() => attributeNames);
      await caller.call(SERVICE, 'setAttributesInBatch', [listId, recipientIds, names, attributeValues], {
        ...options,
        subject: onList(listId),
      });
    },
    async removeAll({ listId, recipientIds }, options) {
      checkBatch(
        'removeAll',
        recipientIds.length,
        [],
        [],
        recipientIds.map(() => []),
      );
      const where = { service: SERVICE, operation: 'removeAll', subject: onList(listId) };
      const answers = expectBooleans(
        await caller.call(SERVICE, 'removeAll', [listId, recipientIds], { ...options, subject: where.subject }),
        where,
      );
      // Anything but one answer per id is no answer: which ids are gone would be a guess.
      if (answers.length !== recipientIds.length)
        throw new OptimizelyResponseError(`${answers.length} answers for ${recipientIds.length} recipient ids`, where);
      return answers;
    },
    async getCount({ listId, filterId = 0 }, options) {
      const where = { service: SERVICE, operation: 'getCount', subject: onList(listId) };
      return expectCount(await caller.call(SERVICE, 'getCount', [listId, filterId], { ...options, subject: where.subject }), where);
    },
    async getAllAdvanced(input, options) {
      const { listId, attributeNames, filterId = 0, orderBy = null, ascending = true, pageStart, pageSize } = input;
      const args = [listId, attributeNames, filterId, orderBy, ascending, pageStart, pageSize];
      const where = { service: SERVICE, operation: 'getAllAdvanced' };
      return expectPage(await caller.call(SERVICE, 'getAllAdvanced', args, options), attributeNames.length, pageSize, where);
    },
    async getAllAdvancedFlat(input, options) {
      const { listId, attributeNames, filterId = 0, orderBy = null, ascending = true, pageStart, pageSize } = input;
      const args = [listId, attributeNames, filterId, orderBy, ascending, pageStart, pageSize];
      const where = { service: SERVICE, operation: 'getAllAdvancedFlat' };
      return splitFlatRows(
        expectCells(await caller.call(SERVICE, 'getAllAdvancedFlat', args, options), where),
        attributeNames.length,
        pageSize,
        where,
      );
    },
  };
}

/** Refuses what the server would refuse as a whole batch, without spending a round trip on it. */
function checkBatch(
  operation: string,
  count: number,
  parallel: number[],
  names: readonly string[],
  rows: readonly (readonly Cell[])[],
): void {
  const fail = (reason: string) => new OptimizelyArgumentError(reason, { service: SERVICE, operation });
  if (count > MAX_BATCH_SIZE) throw fail(`${count} recipients exceed the batch limit of ${MAX_BATCH_SIZE}`);
  if (parallel.some((length) => length !== count) || rows.length !== count)
    throw fail('array lengths do not match the number of recipients');
  const badRow = rows.findIndex((row) => row.length !== names.length);
  if (badRow >= 0) throw fail(`row ${badRow} has ${rows[badRow]!.length} values for ${names.length} attribute names`);
}

/** How errors of a call on one list name it: the list id comes from the configuration, never from recipients. */
const onList = (listId: number): string => `list ${listId}`;

function resultCodes(codes: number[], input: AddAll3Input): ResultCode[] {
  const fail = (reason: string) =>
    new OptimizelyResponseError(reason, { service: SERVICE, operation: 'addAll3', subject: onList(input.listId) });
  if (codes.length !== input.recipientIds.length) throw fail(`${codes.length} result codes for ${input.recipientIds.length} recipients`);
  const bad = codes.findIndex((code) => !Number.isInteger(code) || code < 0 || code > 7);
  if (bad >= 0) throw fail(`result code ${codes[bad]} of recipient ${bad + 1} is outside 0–7`);
  return codes as ResultCode[];
}
