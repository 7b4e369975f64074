import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { multiRefArrayResponse } from './soap-fixtures';
import { ok, stubTransport } from './stub-transport';

// An answer with one bad value among good ones (a code that is no int, a boolean that is neither,
// a cell holding markup, a nil where a number belongs) is refused with an error that names the
// operation and where the value sits, by position only: which of a thousand result codes was wrong
// is what an operator needs, and the bad text (possibly recipient data) never enters the message.

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const ENV =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const END = '</soapenv:Body></soapenv:Envelope>';

function answering(operation: string, body: string): OptimizelyPort {
  const { transport } = stubTransport({ login: [ok('login-response.xml')], [operation]: [{ status: 200, body }] });
  return createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@x.test`);
/** Text no int, long or boolean reads as; it carries a marker that must not reach the message. */
const badScalar = fc.constantFrom('SECRET', '1.5SECRET', 'SECRET99999999999999999999', 'maybeSECRET', '<b>SECRET</b>', 'xsi:nil');

interface Case {
  operation: string;
  call: (client: OptimizelyPort, n: number) => Promise<unknown>;
  type: 'int' | 'long' | 'boolean';
  good: (i: number) => string;
}
const SCALAR_ARRAYS: Case[] = [
  {
    operation: 'addAll3',
    type: 'int',
    good: (i) => String(i % 8),
    call: (client, n) =>
      client.recipient.addAll3({
        listId: 7,
        optinProcessId: 0,
        recipientIds: ids(n),
        addresses: ids(n),
        attributeNames: [],
        attributeValues: ids(n).map(() => []),
      }),
  },
  {
    operation: 'removeAll',
    type: 'boolean',
    good: (i) => String(i % 2 === 0),
    call: (client, n) => client.recipient.removeAll({ listId: 7, recipientIds: ids(n) }),
  },
  {
    operation: 'containsAll',
    type: 'boolean',
    good: () => 'false',
    call: (client, n) => client.unsubscribe.containsAll({ recipientIds: ids(n) }),
  },
  { operation: 'getAllIds', type: 'long', good: (i) => String(1000 + i), call: (client) => client.recipientList.getAllIds() },
];

/** An Axis multiRef answer of n items with item k replaced by `bad` (as text, as markup, or as nil). */
function withBadItem(c: Case, n: number, k: number, bad: string): string {
  const values = Array.from({ length: n }, (_, i) => c.good(i));
  const body = multiRefArrayResponse(c.operation, c.type, values);
  const ref = `<multiRef id="id${k}" `;
  const at = body.indexOf(ref);
  const close = body.indexOf('</multiRef>', at);
  const open = body.indexOf('>', at) + 1;
  if (bad === 'xsi:nil') return `${body.slice(0, at)}<multiRef id="id${k}" xsi:nil="true"/>${body.slice(close + '</multiRef>'.length)}`;
  return body.slice(0, open) + bad + body.slice(close);
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    (value) => {
      throw new Error(`accepted ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OptimizelyResponseError);
  return error as Error;
}

describe('a bad value in an array answer', () => {
  it('is refused naming the operation and its position, never its text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCALAR_ARRAYS),
        fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1))),
        badScalar,
        async (c, [n, k], bad) => {
          const error = await refusal(c.call(answering(c.operation, withBadItem(c, n, k, bad)), n));
          expect(error.message).toContain(`.${c.operation}: `);
          expect(error.message).toMatch(new RegExp(`\\bitem ${k + 1} of the return value\\b`));
          expect(error.message).not.toContain('SECRET');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('in a page of rows is refused naming its row and item', async () => {
    const row = (cells: string[]) =>
      `<getOpensReturn soapenc:arrayType="xsd:string[${cells.length}]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${cells
        .map((cell) => `<getOpensReturn>${cell}</getOpensReturn>`)
        .join('')}</getOpensReturn>`;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(3))),
        async ([n, r, c]) => {
          const rows = Array.from({ length: n }, (_, i) => {
            const cells = [`r${i}@x.test`, '1001', '2026-05-31T00:00:00.000+00:00', '100'];
            if (i === r) cells[c] = '<b>SECRET</b>';
            return row(cells);
          });
          const body = `${ENV}<ns1:getOpensResponse xmlns:ns1="urn:api.broadmail.de/soap11/RpcClosedLoop"><getOpensReturn soapenc:arrayType="xsd:string[][${n}]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${rows.join('')}</getOpensReturn></ns1:getOpensResponse>${END}`;
          const client = answering('getOpens', body);
          const error = await refusal(client.closedLoop.getOpens({ since: 0, until: 1, startRow: 0, numberOfRows: 1000 }));
          expect(error.message).toContain('ClosedLoop.getOpens: ');
          expect(error.message).toContain(`row ${r + 1}, item ${c + 1} of the return value`);
          expect(error.message).not.toContain('SECRET');
        },
      ),
      { numRuns: 60 },
    );
  });
});
