import { OptimizelyArgumentError } from '../../../errors/optimizely-argument-error';
import { CLOSED_LOOP_COLUMNS } from '../../api/closed-loop-columns';
import { CLOSED_LOOP_GETTERS, type ClosedLoopGetter } from '../../api/services/closed-loop';
import type { ClosedLoopPageInput, ClosedLoopPort, Row } from '../optimizely-port';
import type { SoapCaller } from '../soap-caller';
import type { CallOptions } from '../optimizely-port';
import { expectPage, expectServerTime } from './expect-value';
import { MAX_BATCH_SIZE } from './recipient';

const SERVICE = 'ClosedLoop';

export function closedLoopService(caller: SoapCaller): ClosedLoopPort {
  const getter =
    (operation: ClosedLoopGetter) =>
    async (page: ClosedLoopPageInput, options?: CallOptions): Promise<Row[]> => {
      if (page.numberOfRows > MAX_BATCH_SIZE) {
        throw new OptimizelyArgumentError(`numberOfRows ${page.numberOfRows} exceeds ${MAX_BATCH_SIZE}`, { service: SERVICE, operation });
      }
      const args = [page.since, page.until, page.startRow, page.numberOfRows];
      const value = await caller.call(SERVICE, operation, args, options);
      return expectPage(value, CLOSED_LOOP_COLUMNS[operation].length, page.numberOfRows, { service: SERVICE, operation });
    };
  const getters = Object.fromEntries(CLOSED_LOOP_GETTERS.map((name) => [name, getter(name)])) as Omit<ClosedLoopPort, 'getCurrentTime'>;
  return {
    ...getters,
    async getCurrentTime(options) {
      const value = await caller.call(SERVICE, 'getCurrentTime', [], options);
      return expectServerTime(value, { service: SERVICE, operation: 'getCurrentTime' }, Date.now());
    },
  };
}
