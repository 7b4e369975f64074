import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { listAttributes, listConfig } from '../src/sync/config-lookup';
import { attributeNamesFor } from '../src/sync/recipient-batch';
import { recordSentLedger } from '../src/sync/record-sent-ledger';
import { refillChunk, type RefillCheckpoint } from '../src/sync/refill-chunk';
import { clearCheckpointSchema, ledgerCheckpointSchema, readCheckpoint, refillCheckpointSchema } from './checkpoints';
import type { ActivityDependencies } from './deps';
import { withKeepalive } from './keepalive';
import type {
  ClearListOutput,
  RecordSentLedgerOutput,
  RefillListInput,
  RefillListOutput,
  VerifyListInput,
  VerifyListOutput,
} from './campaign-list-types';
import type { RunRef } from './refs';

/** The Optimizely side of a list sync: clear, refill in batches, verify the count, then the sent ledger. */
export function createCampaignListActivities(deps: ActivityDependencies) {
  const { config, store } = deps;
  const now = () => deps.now().toISOString();
  return {
    async clearList(input: RunRef): Promise<ClearListOutput> {
      const { list } = listConfig(config, input.client, input.listKey);
      // The window starts with the first attempt that could have reached Optimizely: an earlier
      // attempt's recorded call start, or, when it died before its first heartbeat, the time the clear
      // was first scheduled (no attempt started before that). Heartbeated before the call.
      const earlier = readCheckpoint(clearCheckpointSchema, 'clear');
      const info = activityInfo();
      const firstAttemptAt = earlier?.firstAttemptAt ?? (info.attempt > 1 ? new Date(info.scheduledTimestampMs).toISOString() : now());
      heartbeat({ firstAttemptAt });
      // One SOAP call of unknown length: heartbeat while it runs (the SDK throttles what it sends).
      // Its cancellation signal aborts the call when the attempt is cancelled or lost its heartbeat.
      const beat = setInterval(() => heartbeat({ firstAttemptAt }), 1000);
      try {
        await deps.optimizely(input.client).recipient.clear({ listId: list.listId }, { signal: cancellationSignal() });
      } finally {
        clearInterval(beat);
      }
      const clearedAt = now();
      log.info('List cleared', {
        client: input.client,
        listKey: input.listKey,
        listId: list.listId,
        attempt: info.attempt,
        firstAttemptAt,
      });
      return { clearedAt, firstAttemptAt };
    },

    async refillList(input: RefillListInput): Promise<RefillListOutput> {
      const { client, list } = listConfig(config, input.client, input.listKey);
      const resumeFrom: RefillCheckpoint | undefined = readCheckpoint(refillCheckpointSchema, 'refill');
      if (resumeFrom)
        log.info('Refill resumes after the last acknowledged batch', { listKey: input.listKey, nextBatch: resumeFrom.nextBatch });
      // Heartbeat every second with the last checkpoint, also while a batch is slow: an attempt whose
      // heartbeat timed out (a retry already runs) learns it at its next heartbeat, and its
      // cancellation signal stops it from sending beside the retry.
      let latest = resumeFrom;
      const beat = setInterval(() => heartbeat(latest), 1000);
      const acked = await deps.windowPriority
        .refilling(() =>
          refillChunk({
            optimizely: deps.optimizely(input.client),
            store,
            client: input.client,
            now: deps.now,
            runId: input.runId,
            listKey: input.listKey,
            list,
            attributeNames: attributeNamesFor(listAttributes(config, input.client, input.listKey)),
            snapshotRef: input.snapshotRef,
            ...(input.freshRef === undefined ? {} : { freshRef: input.freshRef }),
            firstBatch: input.firstBatch,
            endBatch: input.endBatch,
            concurrency: client.concurrency,
            deferLedger: input.deferLedger,
            resumeFrom,
            // An earlier attempt may have added batches it never acknowledged (docs/daily-sync.md, "Refill").
            retried: activityInfo().attempt > 1 || resumeFrom !== undefined,
            checkpoint: (checkpoint) => heartbeat((latest = checkpoint)),
            signal: cancellationSignal(),
          }),
        )
        .finally(() => clearInterval(beat));
      if (acked.unsubscribed)
        log.warn('Recipients left out at the refill: Optimizely or the suppression ledger holds an opt-out', {
          listKey: input.listKey,
          unsubscribed: acked.unsubscribed,
        });
      return {
        batchesDone: input.endBatch - input.firstBatch,
        sent: acked.sent,
        resultCodes: acked.resultCodes,
        rejected: acked.rejected ?? 0,
        ...(acked.unsubscribed ? { unsubscribed: acked.unsubscribed } : {}),
        ...(acked.notInFreshExport ? { notInFreshExport: acked.notInFreshExport } : {}),
      };
    },

    async verifyList(input: VerifyListInput): Promise<VerifyListOutput> {
      const { list } = listConfig(config, input.client, input.listKey);
      const count = await withKeepalive(() =>
        deps.optimizely(input.client).recipient.getCount({ listId: list.listId }, { signal: cancellationSignal() }),
      );
      const matches = count === input.expected;
      if (!matches)
        log.error('List count differs from the recipients accepted', { listKey: input.listKey, count, expected: input.expected });
      return { count, matches, verifiedAt: now() };
    },

    async recordSentLedger(input: RunRef): Promise<RecordSentLedgerOutput> {
      const fromBatch = readCheckpoint(ledgerCheckpointSchema, 'sent ledger');
      return recordSentLedger({
        store,
        runId: input.runId,
        listKey: input.listKey,
        fromBatch,
        checkpoint: (next) => heartbeat(next),
        // Bookkeeping nobody waits for: it writes only while no list is being refilled in this worker.
        beforeWrite: (next) => deps.windowPriority.waitUntilClosed(() => heartbeat(next)),
      });
    },
  };
}
