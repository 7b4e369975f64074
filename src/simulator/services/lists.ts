import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { CallContext } from '../context';
import type { ListRow } from '../store/clients';
import { callFault, forCall } from './call-text';

/** The list of the calling client, or a fault (text is a guess: API notes §12.4). */
export function requireList(call: CallContext, listId: number): ListRow {
  const list = call.sim.store.clients.list(call.session.mandatorId, listId);
  if (!list) throw callFault(call, `${FAULT_TEXTS.unknownList} ${forCall({ recipientListId: listId })}`);
  return list;
}
