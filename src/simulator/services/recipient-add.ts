// add2 / addAll3 / addAll3Flat. Whole-call problems are faults (checked before anything is written);
// per-recipient problems are result codes with the precedence of API notes §11.9:
// invalid 1 → blocklisted 3 → bounced out 4 → unsubscribed 2 (regular list) or re-activated (opt-in
// list) → already in list 5 (data untouched; a pending opt-in of the same type is replaced) →
// filtered 6 → error 7 (injected) → added 0. One call is one transaction.
import { RESULT_CODES } from '../../optimizely/api/result-codes';
import type { CallContext } from '../context';
import type { ListRow, OptinProcessRow } from '../store/clients';
import type { RecipientRow } from '../store/recipients';
import { type AttrsEncoder, attrsEncoder } from './attrs-json';
import { checkWritableNames } from './attributes';
import { checkBatchSize, checkSameLength } from './batch-checks';
import { requireList } from './lists';
import { invalidArgument } from './params';
import { callFault, forCall } from './call-text';
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import { compilePattern, isValidAddress, suppressionView } from './suppression-checks';

export interface AddInput {
  listId: number;
  optinProcessId: number;
  ids: (string | null)[];
  addresses: (string | null)[];
  names: (string | null)[];
  rows: (string | null)[][];
}

export function addRecipients(call: CallContext, input: AddInput): number[] {
  const { store, clock } = call.sim;
  const m = call.session.mandatorId;
  const list = requireList(call, input.listId);
  checkBatchSize(call, 'recipientIds', input.ids.length);
  checkSameLength(call, { recipientIds: input.ids.length, addresses: input.addresses.length, attributeValues: input.rows.length });
  // Only a row of the wrong length builds the fault's size record (1000 rows per call).
  const wrongRow = input.rows.find((row) => row.length !== input.names.length);
  if (wrongRow) checkSameLength(call, { attributeNames: input.names.length, attributeValues: wrongRow.length });
  const names = checkWritableNames(call, list, input.names);
  checkRefusedRecipients(call, list.listId, input.ids);
  const process = input.optinProcessId === 0 ? undefined : store.clients.optinProcess(m, input.optinProcessId);
  if (input.optinProcessId !== 0 && !process) throw invalidArgument(`optinProcessId=${input.optinProcessId}`);
  const view = suppressionView(store, m);
  const filter = list.filter ? compilePattern(list.filter) : undefined;
  // Filters (6) and injected errors (7) rank below 'already in list' (5), so then membership must be
  // known before anything is written: one query for the batch. Otherwise the insert itself finds
  // out (ON CONFLICT DO NOTHING), which saves that query, about 1.5 ms per 1000 recipients.
  const lookAhead = filter !== undefined || call.sim.faults.recipientErrorRate > 0;
  const existing = lookAhead
    ? store.recipients.existingAmong(
        m,
        list.listId,
        input.ids.filter((id): id is string => id !== null).map((id) => id.trim()),
      )
    : undefined;
  const scope: AddScope = { list, process, view, existing, added: new Set(), filter, encode: attrsEncoder(names), now: clock.now() };
  return store.db.transaction(() =>
    input.ids.map((id, i) => addOne(call, scope, { id, address: input.addresses[i] ?? '', values: input.rows[i] ?? [] })),
  )();
}

/** The injected per-recipient refusal: the whole call is refused, naming the list and the recipient. */
function checkRefusedRecipients(call: CallContext, listId: number, ids: readonly (string | null)[]): void {
  const refused = call.sim.faults.refuseRecipients;
  if (refused.length === 0) return;
  const set = new Set(refused);
  const id = ids.find((candidate) => candidate !== null && set.has(candidate.trim()));
  if (id) throw callFault(call, `${FAULT_TEXTS.recipientRefused} ${forCall({ recipientListId: listId, recipientId: id })}`);
}

interface AddScope {
  list: ListRow;
  process: OptinProcessRow | undefined;
  view: ReturnType<typeof suppressionView>;
  /** Ids in the list before the call, when filters or injected errors need them up front. */
  existing: Set<string> | undefined;
  /** Ids added by this call: a repeat is 'already in list' even where a pending opt-in would be replaced. */
  added: Set<string>;
  filter: RegExp | undefined;
  encode: AttrsEncoder;
  now: number;
}

function addOne(call: CallContext, s: AddScope, r: { id: string | null; address: string; values: (string | null)[] }): number {
  const { store, faults, faultDraw } = call.sim;
  const m = call.session.mandatorId;
  const id = r.id?.trim() ?? '';
  // Without an address, a list keyed by e-mail uses the recipient id as the address.
  const address = r.address.trim() || (s.list.idField === s.list.emailField ? id : '');
  if (id === '' || !isValidAddress(address)) return RESULT_CODES.invalid;
  if (s.view.isBlocklisted(address)) return RESULT_CODES.blocklisted;
  if (s.view.isBouncedOut(id)) return RESULT_CODES.bouncedOut;
  if (s.view.isUnsubscribed(id, address)) {
    if (s.list.type !== 'optin') return RESULT_CODES.unsubscribed;
    s.view.resubscribe(id);
    s.view.resubscribe(address);
  }
  if (s.added.has(id)) return RESULT_CODES.alreadyInList;
  if (s.existing?.has(id) && !replacesPending(call, s, id)) return RESULT_CODES.alreadyInList;
  if (s.filter?.test(address)) return RESULT_CODES.filtered;
  if (faults.recipientErrorRate > 0 && faultDraw() < faults.recipientErrorRate) return RESULT_CODES.error;
  const pending = s.process !== undefined && s.process.type !== 'single';
  const row: RecipientRow = {
    recipientId: id,
    address,
    attrs: s.encode(r.values),
    optinState: pending ? 'pending' : 'active',
    optinProcessId: s.process?.id ?? 0,
    created: s.now,
    modified: s.now,
  };
  if (s.existing) store.recipients.insert(m, s.list.listId, row);
  else if (!store.recipients.insertNew(m, s.list.listId, row)) {
    if (!replacesPending(call, s, id)) return RESULT_CODES.alreadyInList;
    store.recipients.insert(m, s.list.listId, row);
  }
  s.added.add(id);
  return RESULT_CODES.added;
}

/** True when the id's row in the list is a pending opt-in this add replaces. */
function replacesPending(call: CallContext, s: AddScope, id: string): boolean {
  const row = call.sim.store.recipients.get(call.session.mandatorId, s.list.listId, id);
  return row !== undefined && replacesPendingOptin(call, row.optinState, row.optinProcessId, s.process);
}

/** A pending opt-in is replaced by a new add with an opt-in process of the same type (API notes §3.4). */
function replacesPendingOptin(call: CallContext, state: string, processId: number, process: OptinProcessRow | undefined): boolean {
  if (state !== 'pending' || !process) return false;
  return call.sim.store.clients.optinProcess(call.session.mandatorId, processId)?.type === process.type;
}
