import { BATCH_ARRAY_CAP, ROW_PAGE_CAP, SINGLE_VALUE_CAP, responseCapBytes } from '../../../src/optimizely/api/response-caps';
import { API_SURFACE } from '../../../src/optimizely/api/surface';
import type { OperationSpec } from '../../../src/optimizely/api/types';
import { writeFault, writeResponse } from '../../../src/simulator/soap/response-writer';

/** The largest legitimate answer we expect for an operation, written the way Axis writes it. */
function fullAnswer(service: string, op: OperationSpec): string {
  const row = Array.from({ length: 20 }, () => 'x'.repeat(50));
  const value = (() => {
    if (op.returns === 'string[][]') return Array.from({ length: 1000 }, () => row);
    if (op.returns === 'string[]') return Array.from({ length: op.name.endsWith('Flat') ? 20_000 : 1000 }, () => 'x'.repeat(50));
    if (op.returns === 'boolean[]') return Array.from({ length: 1000 }, () => true);
    if (op.returns.endsWith('[]')) return Array.from({ length: 1000 }, () => 2 ** 52);
    if (op.returns === 'string') return 'x'.repeat(1000);
    return op.returns === 'boolean' ? true : op.returns === 'void' ? undefined : 2 ** 52;
  })();
  return writeResponse(service, op, value, { shuffleMultiRefs: true });
}

describe('responseCapBytes', () => {
  const operations = API_SURFACE.flatMap(({ service, operations: ops }) =>
    ops.map((op) => [`${service}.${op.name}`, service, op] as const),
  );

  it.each(operations)('lets a full legitimate %s answer through', (_name, service, op) => {
    expect(Buffer.byteLength(fullAnswer(service, op))).toBeLessThan(responseCapBytes(op));
  });

  it('leaves room for a fault with a stack trace in every operation', () => {
    const fault = writeFault(`broadmail.api.soap11.impl.WebserviceImplException: ${'at a.b.C.d(C.java:1)\n'.repeat(2000)}`);
    for (const [, , op] of operations) expect(Buffer.byteLength(fault)).toBeLessThan(responseCapBytes(op));
  });

  it('keeps the batch answers and pages far below what the worker could not survive', () => {
    const addAll3 = API_SURFACE.find((s) => s.service === 'Recipient')!.operations.find((op) => op.name === 'addAll3')!;
    expect(responseCapBytes(addAll3)).toBe(BATCH_ARRAY_CAP);
    expect(Math.max(...operations.map(([, , op]) => responseCapBytes(op)))).toBe(ROW_PAGE_CAP);
    expect(SINGLE_VALUE_CAP).toBeLessThan(BATCH_ARRAY_CAP);
    expect(ROW_PAGE_CAP).toBeLessThanOrEqual(8 * 1024 * 1024);
  });
});
