import type { CallContext, Handler } from '../context';
import type { OptinProcessRow } from '../store/clients';
import { invalidArgument, num } from './params';

function processOf(call: CallContext): OptinProcessRow {
  const id = num(call.params, 'optinProcessId');
  const process = call.sim.store.clients.optinProcess(call.session.mandatorId, id);
  if (!process) throw invalidArgument(`optinProcessId=${id}`);
  return process;
}

export const optinProcessHandlers: Record<string, Handler> = {
  getIds: (call) => call.sim.store.clients.optinProcessIds(call.session.mandatorId),
  getName: (call) => processOf(call).name,
  getType: (call) => processOf(call).type,
  getDescription: (call) => processOf(call).description,
};
