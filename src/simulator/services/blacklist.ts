import type { Handler } from '../context';
import { str } from './params';
import { suppressionView } from './suppression-checks';

export const blacklistHandlers: Record<string, Handler> = {
  add: (call) => {
    const entry = str(call.params, 'entry') ?? '';
    call.sim.store.suppression.addBlocklistEntry(call.session.mandatorId, entry, str(call.params, 'reason') ?? '', call.sim.clock.now());
    return undefined;
  },
  remove: (call) => void call.sim.store.suppression.removeBlocklistEntry(call.session.mandatorId, str(call.params, 'entry') ?? ''),
  contains: (call) => call.sim.store.suppression.hasBlocklistEntry(call.session.mandatorId, str(call.params, 'entry') ?? ''),
  isBlacklisted: (call) => suppressionView(call.sim.store, call.session.mandatorId).isBlocklisted(str(call.params, 'address') ?? ''),
  getAllEntries: (call) => call.sim.store.suppression.blocklistEntries(call.session.mandatorId),
  getCount: (call) => call.sim.store.suppression.blocklistEntries(call.session.mandatorId).length,
};
