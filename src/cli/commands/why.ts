import { NotFoundError } from '../../errors/not-found-error';
import { requireList } from '../../operations/operations';
import type { StateStore } from '../../store/state-store';
import type { LedgerHit, LedgerLookup, SuppressionEvent } from '../../store/types';
import type { CliContext } from '../cli-context';
import { onePositional, stringOption, wholeNumberOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { fieldLine, shownText } from '../terminal-text';
import { resultCodeText } from '../result-code-names';
import { crmWithdrawalLines, crmWithdrawalsFor } from './why-crm-withdrawals';
import { suppressionEventsFor } from './why-suppressions';
import { NOT_IN_TODAYS_EXPORT } from '../../sync/restore/todays-export';
import { isEarlierExportExclusion } from '../../sync/earlier-export-exclusions';

/** `why <email | type:id | entity id>`: per list, what the last runs did with this person. */
export const whyCommand: Command = {
  name: 'why',
  usage: 'why <email | entity-type:id | entity id> [--list <key>] [--runs <n>]',
  summary: 'why someone was (not) sent: per list, sent with result code or excluded with reason; their suppression ledger entries',
  options: { list: { type: 'string' }, runs: { type: 'string' } },
  async run(ctx, positionals, values) {
    const subject = onePositional(this, positionals, 'an e-mail address or entity id');
    const listKey = stringOption(values, 'list');
    // An unknown list would otherwise answer "not in the selection", as if the list had been asked.
    if (listKey !== undefined) requireList(ctx.client, listKey);
    const perList = wholeNumberOption(this, values, 'runs', { min: 1, max: 1000, default: 3 });
    const store = await ctx.store();
    const hits = await findHits(store, lookups(ctx, subject, listKey));
    // Entity ids are no recipient ids: only an address (or id with @) is looked up in the suppression ledger.
    const suppressions = subject.includes('@') ? await suppressionEventsFor(store.suppressions, ctx.client.key, subject) : [];
    const crmWithdrawals = await crmWithdrawalsFor(store.suppressions, ctx.client.key, subject);
    if (hits.length === 0 && suppressions.length === 0 && crmWithdrawals.length === 0) {
      throw new NotFoundError(
        'ledger entry for',
        subject,
        `no run of client ${ctx.client.key} read it from the CRM selection${listKey ? ` of ${listKey}` : ''}: the person is not selected (membership, consent row or entity type)`,
      );
    }
    const byList = groupByList(hits, perList);
    ctx.print({ subject, client: ctx.client.key, lists: byList, suppressions, crmWithdrawals }, () => [
      fieldLine`Why: ${subject} (client ${ctx.client.key})`,
      ...ctx.client.lists
        .filter((list) => !listKey || list.key === listKey)
        .flatMap((list) => {
          const listHits = byList[list.key] ?? [];
          return listHits.length === 0
            ? [fieldLine`${list.key}: not in the selection of its recorded runs`]
            : [fieldLine`${list.key}:`, ...listHits.map(hitLine)];
        }),
      ...suppressionLines(ctx.client.lists, suppressions),
      ...crmWithdrawalLines(ctx.client.lists, crmWithdrawals),
    ]);
    return EXIT.ok;
  },
};

/**
 * The ledger look-ups for what the operator typed (trimmed). An address as given, with its domain
 * lower-cased (the export lower-cases domains and keeps the local part unless the list says
 * otherwise) and all lower-cased; `type:id` an entity; a bare id every configured entity type and
 * the recipient id itself (a list whose recipient id is a CRM id, not the address).
 */
export function lookups(ctx: Pick<CliContext, 'client'>, typed: string, listKey: string | undefined): LedgerLookup[] {
  const subject = typed.trim();
  const scope = { client: ctx.client.key, listKey, limit: 50 };
  if (subject.includes('@')) {
    const at = subject.lastIndexOf('@');
    const domainLowered = subject.slice(0, at) + subject.slice(at).toLowerCase();
    return [...new Set([subject, domainLowered, subject.toLowerCase()])].map((recipientId) => ({ recipientId, ...scope }));
  }
  const entityTyped = /^([a-z_]+):(.+)$/.exec(subject);
  if (entityTyped) return [{ entityType: entityTyped[1] as string, entityId: entityTyped[2] as string, ...scope }];
  const types = new Set(ctx.client.lists.flatMap((list) => list.entityTypes));
  return [...[...types].map((entityType) => ({ entityType, entityId: subject, ...scope })), { recipientId: subject, ...scope }];
}

async function findHits(store: StateStore, queries: LedgerLookup[]): Promise<LedgerHit[]> {
  const seen = new Set<string>();
  const hits: LedgerHit[] = [];
  for (const query of queries) {
    for (const hit of await store.ledger.find(query)) {
      const key = `${hit.runId}|${hit.listKey}|${hit.outcome}|${'rowNumber' in hit ? `${hit.rowNumber}|${hit.field}` : hit.recipientId}`;
      if (!seen.has(key)) hits.push(hit);
      seen.add(key);
    }
  }
  return hits.sort((a, b) => (b.runStartedAt ?? '').localeCompare(a.runStartedAt ?? ''));
}

/** The hits of the newest `perList` runs of each list, newest first. */
function groupByList(hits: LedgerHit[], perList: number): Record<string, LedgerHit[]> {
  const byList: Record<string, LedgerHit[]> = {};
  for (const hit of hits) {
    const list = (byList[hit.listKey] ??= []);
    const runs = new Set(list.map((h) => h.runId));
    if (runs.has(hit.runId) || runs.size < perList) list.push(hit);
  }
  return byList;
}

/** What Optimizely reported about the person, whatever the CRM did: the export excludes on it. */
function suppressionLines(lists: ReadonlyArray<{ key: string; listId: number }>, events: readonly SuppressionEvent[]): string[] {
  if (events.length === 0) return [];
  const scope = (e: SuppressionEvent) =>
    e.kind === 'bounce'
      ? 'every list'
      : e.listId === 0
        ? 'client-wide'
        : `list ${e.listId}${lists
            .filter((l) => l.listId === e.listId)
            .map((l) => fieldLine` (${l.key})`)
            .join('')}`;
  return [
    'suppression ledger (wins at export whatever the CRM says):',
    ...events.map(
      (e) =>
        `${fieldLine`  ${e.occurredAt.slice(0, 16).replace('T', ' ')}`}  ${e.kind === 'bounce' ? 'bounced' : 'unsubscribed'}, ${scope(e)}, ${fieldLine`from ${e.source}`}`,
    ),
  ];
}

function hitLine(hit: LedgerHit): string {
  const when = (hit.runStartedAt ?? 'unknown time').slice(0, 16).replace('T', ' ');
  const what =
    hit.outcome === 'sent'
      ? fieldLine`sent as ${hit.entityType} ${hit.entityId}: result code ${resultCodeText(hit.resultCode)}`
      : hit.outcome === 'sanitized'
        ? fieldLine`sanitized (${hit.entityType} ${hit.entityId}, selection row ${hit.rowNumber}): field ${hit.field}: ${hit.reason}, sent sanitized`
        : hit.outcome === 'rejected'
          ? `${fieldLine`rejected by Optimizely as ${hit.entityType} ${hit.entityId}`}, the rest of its batch went in: ${shownText(hit.fault)}`
          : hit.outcome === 'kept' || hit.outcome === 'removed'
            ? reconcileText(hit)
            : isEarlierExportExclusion(hit)
              ? fieldLine`excluded by an earlier export of the run (${hit.entityType} ${hit.entityId || '?'}), kept when it exported again: ${hit.field ?? '?'}`
              : hit.reason === NOT_IN_TODAYS_EXPORT.reason
                ? fieldLine`left out of the restore (${hit.entityType} ${hit.entityId || '?'}, last good snapshot position ${hit.rowNumber}): not in every export of the run, matched on ${hit.field ?? 'recipient_id'} (consent not known today)`
                : hit.rowNumber < 0
                  ? fieldLine`left out at the refill (${hit.entityType} ${hit.entityId}, snapshot position ${-hit.rowNumber}): ${hit.reason} at ${hit.field ?? 'optimizely'}`
                  : `${fieldLine`excluded (${hit.entityType} ${hit.entityId || '?'}, selection row ${hit.rowNumber}): ${hit.reason}`}${hit.field ? fieldLine`, field ${hit.field}` : ''}`;
  return `${fieldLine`  ${when}  run ${hit.runId}`}  ${what}`;
}

/** Strategy reconcile: the recipient was on the live list and stayed, or was taken off. */
function reconcileText(hit: LedgerHit & { outcome: 'kept' | 'removed' }): string {
  const entity = fieldLine`${hit.entityType || '?'} ${hit.entityId || '?'}`;
  if (hit.outcome === 'kept')
    return `kept on the list as ${entity} (reconcile): ${hit.reason === 'updated' ? 'attributes updated' : 'unchanged'}`;
  return hit.reason === 'removed'
    ? `removed from the list (reconcile; was ${entity}): no longer selected by the CRM`
    : `removed from the list (reconcile; was ${entity}): no longer selected, and Optimizely no longer held it`;
}
