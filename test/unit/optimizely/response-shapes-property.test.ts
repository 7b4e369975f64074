import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { CLOSED_LOOP_COLUMNS, CLOSED_LOOP_GETTERS, type ClosedLoopGetter } from '../../../src/optimizely/api/closed-loop-columns';
import { findOperation } from '../../../src/optimizely/api/surface';
import { MAX_ELEMENT_DEPTH } from '../../../src/optimizely/client/codec/element-depth';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { writeResponse, type ReturnValue } from '../../../src/simulator/soap/response-writer';
import { legalValues, soapStringValue } from '../../helpers/soap-string-values';
import { ok, stubTransport } from './stub-transport';

// Every operation the port reads an answer of, over SOAP bodies built the way the simulator (Axis)
// writes them: valid answers with hostile values (any Unicode, markup, long texts, nils, empty
// arrays), and the same answers broken in one way each (nil, missing or wrongly typed return,
// two returns or two responses, an item or row twice, a nil row, a nil spelled wrongly or twice,
// nesting past the reader's limit). The port either answers exactly the value written, or refuses
// with an OptimizelyResponseError naming the operation and what was wrong; never a silent wrong
// value (an empty page for a nil one above all: the page read would stop there), never a hang.

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };

interface Case {
  service: string;
  operation: string;
  /** A value the port accepts, as the simulator writes it. */
  value: fc.Arbitrary<ReturnValue>;
  call: (client: OptimizelyPort, value: ReturnValue) => Promise<unknown>;
  /** What the port answers for the value as written (line ends as XML reads them). */
  expected?: (value: ReturnValue) => unknown;
}

const n = (value: ReturnValue) => (value as unknown[]).length;
const ids = (count: number) => Array.from({ length: count }, (_, i) => `r${i}@x.test`);
const cell = soapStringValue.filter((v) => legalValues([v]));
const asXmlReads = (v: unknown): unknown => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : Array.isArray(v) ? v.map(asXmlReads) : v);
const rows = (width: number, maxRows: number) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: maxRows });
const long = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const closedLoopCase = (getter: ClosedLoopGetter): Case => ({
  service: 'ClosedLoop',
  operation: getter,
  value: rows(CLOSED_LOOP_COLUMNS[getter].length, 4),
  call: (client) => client.closedLoop[getter]({ since: 0, until: 1, startRow: 0, numberOfRows: 1000 }),
});

const CASES: Case[] = [
  {
    service: 'Recipient',
    operation: 'addAll3',
    value: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 6 }),
    call: (client, value) =>
      client.recipient.addAll3({
        listId: 7,
        optinProcessId: 0,
        recipientIds: ids(n(value)),
        addresses: ids(n(value)),
        attributeNames: [],
        attributeValues: ids(n(value)).map(() => []),
      }),
  },
  {
    service: 'Recipient',
    operation: 'removeAll',
    value: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
    call: (client, value) => client.recipient.removeAll({ listId: 7, recipientIds: ids(n(value)) }),
  },
  {
    service: 'Recipient',
    operation: 'getCount',
    value: fc.integer({ min: 0, max: 2147483647 }),
    call: (client) => client.recipient.getCount({ listId: 7 }),
  },
  {
    service: 'Recipient',
    operation: 'getAllAdvanced',
    value: rows(2, 5),
    call: (client) => client.recipient.getAllAdvanced({ listId: 7, attributeNames: ['a', 'b'], pageStart: 0, pageSize: 5 }),
  },
  {
    service: 'Recipient',
    operation: 'getAllAdvancedFlat',
    value: rows(2, 5).map((r) => r.flat()),
    call: (client) => client.recipient.getAllAdvancedFlat({ listId: 7, attributeNames: ['a', 'b'], pageStart: 0, pageSize: 5 }),
    expected: (value) => {
      const cells = asXmlReads(value) as unknown[];
      return Array.from({ length: cells.length / 2 }, (_, i) => cells.slice(2 * i, 2 * i + 2));
    },
  },
  {
    service: 'RecipientList',
    operation: 'getAllIds',
    value: fc.array(long, { maxLength: 6 }),
    call: (client) => client.recipientList.getAllIds(),
  },
  { service: 'RecipientList', operation: 'getName', value: cell, call: (client) => client.recipientList.getName({ listId: 7 }) },
  {
    service: 'RecipientList',
    operation: 'getCount',
    value: fc.integer({ min: 0, max: 2147483647 }),
    call: (client) => client.recipientList.getCount({ includeTestLists: false }),
  },
  {
    service: 'RecipientList',
    operation: 'getAttributeNames',
    value: fc.array(cell, { maxLength: 6 }),
    call: (client) => client.recipientList.getAttributeNames({ listId: 7, locale: 'en' }),
  },
  { service: 'OptinProcess', operation: 'getIds', value: fc.array(long, { maxLength: 6 }), call: (client) => client.optinProcess.getIds() },
  {
    service: 'ClosedLoop',
    operation: 'getCurrentTime',
    value: fc.integer({ min: -86_400_000, max: 86_400_000 }).map((offset) => Date.now() + offset),
    call: (client) => client.closedLoop.getCurrentTime(),
  },
  ...CLOSED_LOOP_GETTERS.map(closedLoopCase),
  {
    service: 'Unsubscribe',
    operation: 'contains',
    value: fc.boolean(),
    call: (client) => client.unsubscribe.contains({ recipientId: 'x' }),
  },
  {
    service: 'Unsubscribe',
    operation: 'containsAll',
    value: fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
    call: (client, value) => client.unsubscribe.containsAll({ recipientIds: ids(n(value)) }),
  },
];

function answering(operation: string, body: string): OptimizelyPort {
  const { transport } = stubTransport({ login: [ok('login-response.xml')], [operation]: [{ status: 200, body }] });
  return createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
}

/** The body split around the return element: `<ns1:opResponse …>` + inner + `</ns1:opResponse>`. */
function parts(body: string, operation: string) {
  const open = body.indexOf(`<ns1:${operation}Response`);
  const innerFrom = body.indexOf('>', open) + 1;
  const close = `</ns1:${operation}Response>`;
  const innerTo = body.indexOf(close, innerFrom);
  return {
    before: body.slice(0, innerFrom),
    inner: body.slice(innerFrom, innerTo),
    after: body.slice(innerTo),
    response: body.slice(open, innerTo + close.length),
  };
}

/** The first child element of the return element (an item or a row), by counting elements of its name. */
function firstChild(inner: string, operation: string): { from: number; to: number } | undefined {
  const tag = `${operation}Return`;
  const from = inner.indexOf('>') + 1;
  if (inner[from - 2] === '/' || !inner.startsWith(`<${tag}`, from)) return undefined;
  const pattern = new RegExp(`<${tag}\\b[^>]*?(/?)>|</${tag}>`, 'g');
  pattern.lastIndex = from;
  let depth = 0;
  for (let m = pattern.exec(inner); m; m = pattern.exec(inner)) {
    if (m[0].startsWith('</')) depth -= 1;
    else if (m[1] !== '/') depth += 1;
    if (depth === 0) return { from, to: pattern.lastIndex };
  }
  return undefined;
}

type Mutation =
  | 'none'
  | 'nil-return'
  | 'missing-return'
  | 'declared-other-type-empty'
  | 'declared-other-type-text'
  | 'two-returns'
  | 'two-responses'
  | 'item-twice'
  | 'nil-row'
  | 'nil-misspelt'
  | 'nil-twice'
  | 'too-deep';
const MUTATIONS: Mutation[] = [
  'none',
  'nil-return',
  'missing-return',
  'declared-other-type-empty',
  'declared-other-type-text',
  'two-returns',
  'two-responses',
  'item-twice',
  'nil-row',
  'nil-misspelt',
  'nil-twice',
  'too-deep',
];
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The body broken as `mutation` says, or undefined when it does not apply to this answer. */
function mutate(body: string, c: Case, mutation: Mutation): string | undefined {
  const { before, inner, after, response } = parts(body, c.operation);
  const tag = `${c.operation}Return`;
  const isArray = findOperation(c.service, c.operation)!.returns.endsWith('[]');
  const withAttributes = (extra: string) => before + inner.replace(`<${tag}`, `<${tag} ${extra}`) + after;
  switch (mutation) {
    case 'none':
      return body;
    case 'nil-return':
      return `${before}<${tag} xsi:nil="true"/>${after}`;
    case 'missing-return':
      return before + after;
    case 'declared-other-type-empty':
      return isArray
        ? `${before}<${tag} xsi:type="xsd:string"></${tag}>${after}`
        : `${before}<${tag} soapenc:arrayType="xsd:string[0]" xsi:type="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"/>${after}`;
    case 'declared-other-type-text':
      if (isArray) return `${before}<${tag} xsi:type="xsd:int">12</${tag}>${after}`;
      // A single value declared as one of another family (a boolean as an int, anything else as a boolean).
      return findOperation(c.service, c.operation)!.returns === 'boolean'
        ? `${before}<${tag} xsi:type="xsd:int">1</${tag}>${after}`
        : `${before}<${tag} xsi:type="xsd:boolean">true</${tag}>${after}`;
    case 'two-returns':
      return before + inner + inner + after;
    case 'two-responses':
      return body.replace(response, response + response);
    case 'item-twice': {
      const child = firstChild(inner, c.operation);
      if (!child) return undefined;
      return before + inner.slice(0, child.to) + inner.slice(child.from, child.to) + inner.slice(child.to) + after;
    }
    case 'nil-row': {
      const child = findOperation(c.service, c.operation)!.returns === 'string[][]' ? firstChild(inner, c.operation) : undefined;
      if (!child) return undefined;
      return before + inner.slice(0, child.from) + `<${tag} xsi:nil="true"/>` + inner.slice(child.to) + after;
    }
    case 'nil-misspelt':
      return withAttributes('xsi:nil="yes"');
    case 'nil-twice':
      return withAttributes(`a:nil="false" b:nil="true" xmlns:a="${XSI}" xmlns:b="${XSI}"`);
    case 'too-deep': {
      const depth = MAX_ELEMENT_DEPTH + 1;
      return before + '<w>'.repeat(depth) + inner + '</w>'.repeat(depth) + after;
    }
  }
}

/** The answer a broken body may still give: only a nil string is a value (getName: a list without a name). */
function stillAnswers(c: Case, mutation: Mutation): { value: unknown } | undefined {
  if (mutation === 'nil-return' && findOperation(c.service, c.operation)!.returns === 'string') return { value: null };
  return undefined;
}

describe('every answer the port reads, valid or broken in one way', () => {
  it('is read as exactly the value written, or refused naming the operation and what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CASES).chain((c) => fc.tuple(fc.constant(c), c.value)),
        fc.constantFrom(...MUTATIONS),
        fc.boolean(),
        async ([c, value], mutation, shuffleMultiRefs) => {
          const spec = findOperation(c.service, c.operation)!;
          const body = mutate(writeResponse(c.service, spec, value, { shuffleMultiRefs }), c, mutation);
          fc.pre(body !== undefined);
          const started = Date.now();
          const answer = await c.call(answering(c.operation, body!), value).then(
            (result) => ({ result }),
            (error: unknown) => ({ error }),
          );
          expect(Date.now() - started).toBeLessThan(10_000);
          const wanted = mutation === 'none' ? { value: (c.expected ?? asXmlReads)(value) } : stillAnswers(c, mutation);
          if (wanted) {
            expect(answer).toEqual({ result: wanted.value });
            return;
          }
          // Never a value: the broken answer is refused.
          expect(answer).not.toHaveProperty('result');
          const error = (answer as { error: unknown }).error;
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          const message = (error as Error).message;
          expect(message.startsWith(`${c.service}.${c.operation}: `)).toBe(true);
          expect(message.length).toBeGreaterThan(`${c.service}.${c.operation}: `.length + 5);
          if (mutation === 'too-deep') expect(message).toContain(`more than ${MAX_ELEMENT_DEPTH} deep`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reads a page, a list or a string holding a text of 300,000 characters (escapes and umlauts) as it was written', async () => {
    const huge = 'ä&<'.repeat(100_000);
    for (const c of CASES.filter((x) => ['getOpens', 'getAllAdvanced', 'getAttributeNames', 'getName'].includes(x.operation))) {
      const spec = findOperation(c.service, c.operation)!;
      const value: ReturnValue =
        spec.returns === 'string'
          ? huge
          : spec.returns === 'string[]'
            ? ['a', huge]
            : [[huge, ...Array.from({ length: c.operation === 'getOpens' ? CLOSED_LOOP_COLUMNS.getOpens.length - 1 : 1 }, () => null)]];
      await expect(
        c.call(answering(c.operation, writeResponse(c.service, spec, value, { shuffleMultiRefs: false })), value),
      ).resolves.toEqual(value);
    }
  });
});
