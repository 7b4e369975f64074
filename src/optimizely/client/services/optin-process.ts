import type { OptinProcessPort } from '../optimizely-port';
import type { SoapCaller } from '../soap-caller';
import { expectNumbers } from './expect-value';

const SERVICE = 'OptinProcess';

export function optinProcessService(caller: SoapCaller): OptinProcessPort {
  return {
    async getIds(options) {
      return expectNumbers(await caller.call(SERVICE, 'getIds', [], options), { service: SERVICE, operation: 'getIds' });
    },
  };
}
