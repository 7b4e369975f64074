// A write's result is never guessed. The property drives the real client over HTTP against a server
// that answers each write (addAll3, removeAll, clear, setAttributesInBatch, Unsubscribe.add) with a
// generated answer: the right one, or one that does not say the write was done as asked — a void
// answer holding a value (`<clearReturn>false</clearReturn>`), a count of codes or answers that does
// not match the batch, an HTML page at 200, another operation's answer, a fault (with echoed secrets
// and control characters), a good body at 500, a body cut short. The call succeeds only on the
// right answer, with exactly its value; otherwise it fails with an Optimizely error whose message is
// short, printable and free of the secrets in the answer, and the write went out exactly once —
// twice only after the service's own "Invalid sessionId" exception, never on those words elsewhere
// in a fault (after another message or in the echo), where the write may have been applied.
import fc from 'fast-check';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { FAULT_PREFIX, FAULT_TEXTS, INVALID_SESSION_PREFIX } from '../../../src/optimizely/api/fault-texts';
import { findOperation } from '../../../src/optimizely/api/surface';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { writeFault, writeResponse, type ReturnValue } from '../../../src/simulator/soap/response-writer';
import { hostileServerPerFile } from '../../helpers/hostile-soap-server';

const SECRET = 'Sekr1tPassw0rd';
const SESSION = '33c4296db6972a38';
const ids = (n: number) => Array.from({ length: n }, (_, i) => `crm-${i}@person.test`);

interface Write {
  service: string;
  operation: string;
  call: (client: OptimizelyPort, n: number) => Promise<unknown>;
  /** The right answer's value for a batch of n (undefined: void). */
  value: (n: number) => ReturnValue;
}
const WRITES: Write[] = [
  {
    service: 'Recipient',
    operation: 'addAll3',
    value: (n) => Array.from({ length: n }, (_, i) => i % 8),
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
    service: 'Recipient',
    operation: 'removeAll',
    value: (n) => Array.from({ length: n }, (_, i) => i % 3 === 0),
    call: (client, n) => client.recipient.removeAll({ listId: 7, recipientIds: ids(n) }),
  },
  { service: 'Recipient', operation: 'clear', value: () => undefined, call: (client) => client.recipient.clear({ listId: 7 }) },
  {
    service: 'Recipient',
    operation: 'setAttributesInBatch',
    value: () => undefined,
    call: (client, n) =>
      client.recipient.setAttributesInBatch({
        listId: 7,
        recipientIds: ids(n),
        attributeNames: ['a'],
        attributeValues: ids(n).map(() => ['v']),
      }),
  },
  {
    service: 'Unsubscribe',
    operation: 'add',
    value: () => undefined,
    call: (client) => client.unsubscribe.add({ recipientId: 'crm-1@person.test' }),
  },
];

type Kind =
  'right' | 'void-with-value' | 'void-with-text' | 'count-off' | 'html-200' | 'other-operation' | 'fault' | 'right-at-500' | 'cut-short';
const KINDS: Kind[] = [
  'right',
  'void-with-value',
  'void-with-text',
  'count-off',
  'html-200',
  'other-operation',
  'fault',
  'right-at-500',
  'cut-short',
];

const faultText = fc.constantFrom(
  `[${SESSION},1234,api-user] java.lang.IllegalStateException: commit failed for recipientId='crm-1@person.test' password ${SECRET}`,
  `Error updating users in userlist for call: value='${SECRET}'`,
  `\u0000\u001b[31m${SECRET}`.repeat(20_000),
  '',
  // The service's own session exception: refused unread, so the client logs in again and sends it once more.
  `${INVALID_SESSION_PREFIX}${FAULT_TEXTS.invalidSession}: ${SESSION}`,
  // The words inside another message: the write may have been applied, it is not sent again.
  `java.lang.IllegalStateException: commit failed after 412 rows; ${FAULT_TEXTS.invalidSession}: ${SESSION}`,
  `${FAULT_PREFIX}[${SESSION},1234,api-user] ${FAULT_TEXTS.invalidSession} for call: recipientId='crm-1@person.test'`,
);
/** A rejected session the client answers by logging in again and sending the call a second time. */
const resentAfter = (kind: Kind, fault: string): boolean => kind === 'fault' && fault.startsWith(INVALID_SESSION_PREFIX);

/** The body and status for one answer of `kind`, or undefined when the kind does not apply to the write. */
function answerFor(write: Write, n: number, kind: Kind, fault: string, cutAt: number): { status: number; body: string } | undefined {
  const spec = findOperation(write.service, write.operation)!;
  const right = writeResponse(write.service, spec, write.value(n), { shuffleMultiRefs: true });
  const isVoid = spec.returns === 'void';
  const voidHolding = (inner: string) => right.replace(/<(ns1:\w+Response)([^>]*)\/>/, `<$1$2>${inner}</$1>`);
  switch (kind) {
    case 'right':
      return { status: 200, body: right };
    case 'void-with-value':
      return isVoid
        ? { status: 200, body: voidHolding(`<${write.operation}Return xsi:type="xsd:boolean">false</${write.operation}Return>`) }
        : undefined;
    case 'void-with-text':
      return isVoid ? { status: 200, body: voidHolding('false') } : undefined;
    case 'count-off':
      return isVoid
        ? undefined
        : {
            status: 200,
            body: writeResponse(write.service, spec, (write.value(n + 1) as unknown[]).slice(n > 1 ? 2 : 0), { shuffleMultiRefs: false }),
          };
    case 'html-200':
      return { status: 200, body: `<html><body><h1>OK</h1>${right}</body></html>` };
    case 'other-operation':
      return { status: 200, body: writeResponse('Recipient', findOperation('Recipient', 'getCount')!, n, { shuffleMultiRefs: false }) };
    case 'fault':
      return { status: 500, body: writeFault(fault) };
    case 'right-at-500':
      return { status: 500, body: right };
    case 'cut-short':
      return { status: 200, body: right.slice(0, cutAt % right.length) };
  }
}

const hostile = hostileServerPerFile();

describe('the answer to a write', () => {
  it('is taken only when it is the right answer; anything else fails boundedly, the write sent once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...WRITES),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(...KINDS),
        faultText,
        fc.nat(),
        async (write, n, kind, fault, cutAt) => {
          const answer = answerFor(write, n, kind, fault, cutAt);
          fc.pre(answer !== undefined);
          let sent = 0;
          hostile.answer((res, request) => {
            if (request.includes(`:${write.operation} `)) sent++;
            res.writeHead(answer!.status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(answer!.body);
          });
          const outcome = await hostile.call((client) => write.call(client, n));
          expect(sent).toBe(resentAfter(kind, fault) ? 2 : 1);
          if (kind === 'right') {
            const value = write.value(n);
            expect(outcome).toEqual({ value: value === undefined ? undefined : value });
            return;
          }
          expect(outcome).not.toHaveProperty('value');
          const error = (outcome as { error: unknown }).error;
          expect(error).toBeInstanceOf(OptimizelyFaultError);
          const message = (error as Error).message;
          expect(message.startsWith(`${write.service}.${write.operation}: `)).toBe(true);
          expect(message.length).toBeLessThan(300);
          expect(message).toMatch(/^[\x20-\x7e\u2013\u2026]+$/);
          for (const secret of [SECRET, SESSION, 'person.test', 'api-user', 'IllegalState']) expect(message).not.toContain(secret);
        },
      ),
      { numRuns: 250 },
    );
  });
});
