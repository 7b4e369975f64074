import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_PREFIX, FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { recipientPositionsNamedIn } from '../../../src/optimizely/client/named-recipients';
import { ok, stubTransport } from './stub-transport';

const refusalFault = (recipientId: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server.userException</faultcode><faultstring>${FAULT_PREFIX}[sid,1234,api-user] ${FAULT_TEXTS.recipientRefused} for call: recipientListId='100', recipientId='${recipientId}'</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;

describe('recipientPositionsNamedIn', () => {
  const ids = ['a@x.test', 'b@x.test', 'c@x.test', 'b@x.test'];

  it('finds the positions of the recipient a fault names', () => {
    expect(recipientPositionsNamedIn(`${FAULT_TEXTS.recipientRefused} for call: recipientListId='1', recipientId='b@x.test'`, ids)).toEqual(
      [1, 3],
    );
  });

  it('names nobody for a fault without a recipient, one not in the call, or an echo of more than ten', () => {
    expect(recipientPositionsNamedIn(FAULT_TEXTS.recipientRefused, ids)).toEqual([]);
    expect(recipientPositionsNamedIn("recipientId='z@x.test'", ids)).toEqual([]);
    const many = Array.from({ length: 11 }, (_, i) => `r${i}`);
    expect(recipientPositionsNamedIn(many.map((id) => `recipientId='${id}'`).join(', '), many)).toEqual([]);
  });

  it('returns only in-range positions of recipients the text quotes, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 30 }), fc.string({ maxLength: 400 }), (batch, text) => {
        const positions = recipientPositionsNamedIn(text, batch);
        expect(positions.length).toBeLessThanOrEqual(10);
        const quoted = [...text.matchAll(/recipientId='([^']*)'/g)].map((m) => (m[1] as string).trim());
        for (const p of positions) expect(quoted).toContain((batch[p] as string).trim());
      }),
    );
  });
});

describe('Optimizely client addAll3 refused for one recipient', () => {
  it('carries the named position on the error and keeps the recipient out of its message', async () => {
    const { transport } = stubTransport({
      login: [ok('login-response.xml')],
      addAll3: [{ status: 500, body: refusalFault('b@x.test') }],
    });
    const client = createOptimizelyClient(
      { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' },
      { transport },
    );
    const error = await client.recipient
      .addAll3({
        listId: 100,
        optinProcessId: 0,
        recipientIds: ['a@x.test', 'b@x.test', 'c@x.test'],
        addresses: ['a@x.test', 'b@x.test', 'c@x.test'],
        attributeNames: [],
        attributeValues: [[], [], []],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyArgumentError);
    expect(error).toMatchObject({ namedPositions: [1] });
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain('b@x.test');
  });
});
