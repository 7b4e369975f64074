// Whole-call checks of array parameters. The real texts are unknown (API notes §12.1, §12.4).
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { CallContext } from '../context';
import { callFault } from './call-text';

export function checkBatchSize(call: CallContext, name: string, length: number): void {
  const max = call.sim.settings.maxElements;
  if (length > max) throw callFault(call, `${FAULT_TEXTS.batchLimit} ${max}: ${name}Size=${length}`);
}

export function checkSameLength(call: CallContext, sizes: Record<string, number>): void {
  const values = Object.values(sizes);
  if (values.some((v) => v !== values[0])) {
    const text = Object.entries(sizes)
      .map(([k, v]) => `${k}Size=${v}`)
      .join(' ');
    throw callFault(call, `${FAULT_TEXTS.arrayLengthMismatch}: ${text}`);
  }
}
