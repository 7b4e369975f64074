import type { Handler } from '../context';
import { invalidArgument, str } from './params';

function category(value: string | null): 'hard' | 'soft' {
  if (value === 'hardbounce') return 'hard';
  if (value === 'softbounce') return 'soft';
  throw invalidArgument(`category=${value ?? 'null'}`);
}

export const responseHandlers: Record<string, Handler> = {
  getBounceCounter: (call) => {
    const counts = call.sim.store.suppression.bounces(call.session.mandatorId, str(call.params, 'recipientId') ?? '');
    return counts[category(str(call.params, 'category'))];
  },
  getBounceCounterThreshold: (call) => {
    const client = call.sim.store.clients.client(call.session.mandatorId);
    return category(str(call.params, 'category')) === 'hard' ? (client?.hardThreshold ?? 3) : (client?.softThreshold ?? 5);
  },
  isBounceCounterThresholdExeeded: (call) => {
    const client = call.sim.store.clients.client(call.session.mandatorId);
    const b = call.sim.store.suppression.bounces(call.session.mandatorId, str(call.params, 'recipientId') ?? '');
    return b.hard >= (client?.hardThreshold ?? 3) || b.soft >= (client?.softThreshold ?? 5);
  },
  resetBounceCounter: (call) =>
    void call.sim.store.suppression.resetBounces(call.session.mandatorId, str(call.params, 'recipientId') ?? ''),
};
