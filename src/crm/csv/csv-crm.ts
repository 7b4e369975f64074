import { CrmListUnknownError } from '../../errors/crm-list-unknown-error';
import { configuredList, type CsvCrmConfig } from '../crm-config';
import type { CrmPort, FeedbackResult, ResponseResult } from '../crm-port';
import { readCsvSelection } from './read-csv-selection';
import { outboxRows } from './outbox-rows';
import { writeExchangeFile, writeExchangeFileNamed } from './write-exchange-file';

export const FEEDBACK_COLUMNS = ['kind', 'recipient_id', 'entity_type', 'entity_id', 'opt_in_id', 'media_type', 'occurred_at', 'hard'];
export const RESPONSE_COLUMNS = ['kind', 'campaign_id', 'mailing_id', 'recipient_id', 'entity_type', 'entity_id', 'occurred_at', 'url'];

/**
 * The CRM as a file exchange: it drops one export file per list, and imports the feedback and
 * response files written to the outbox. The adapter cannot see CRM entities, so feedback is never
 * `unknown_entity`: it is `handed` when written (the CRM imports it later) and `already` when the same
 * file exists.
 */
export function openCsvCrm(config: CsvCrmConfig): CrmPort {
  const pendingResponses = outboxRows(config.outbox, 'responses', config.format);
  return {
    exportSelection: (listKey) => {
      const list = configuredList(config.lists, listKey);
      if (list === undefined) return failing(new CrmListUnknownError(listKey));
      return readCsvSelection({ listKey, list, format: config.format });
    },
    applyFeedback: async (events) => {
      if (events.length === 0) return [];
      const rows = events.map((e) => [
        e.kind,
        e.recipientId,
        e.entityType,
        e.entityId,
        e.optInId,
        e.mediaType,
        e.occurredAt,
        e.hard === false ? 0 : 1,
      ]);
      const written = await writeExchangeFile(config.outbox, 'feedback', FEEDBACK_COLUMNS, rows, config.format);
      return events.map((_, index): FeedbackResult => ({ index, outcome: written ? 'handed' : 'already' }));
    },
    applyResponses: async (events) => {
      const known = events.flatMap((e, index) => {
        const campaignId = campaignOf(config, e.mailingId);
        return campaignId === undefined
          ? []
          : [{ index, row: [e.kind, campaignId, e.mailingId, e.recipientId, e.entityType, e.entityId, e.occurredAt, e.url ?? ''] }];
      });
      // Only rows no outbox file holds yet (outbox-rows.ts): a retried window's batch may differ from the one handed over.
      const fresh = new Set(pendingResponses.unwritten(known.map((k) => k.row)));
      const rows = known.filter((k) => fresh.has(k.row)).map((k) => k.row);
      const file =
        rows.length > 0 ? await writeExchangeFileNamed(config.outbox, 'responses', RESPONSE_COLUMNS, rows, config.format) : undefined;
      if (file !== undefined) pendingResponses.wrote(file, rows);
      const written = file !== undefined;
      const recorded = new Map(known.map((k) => [k.index, written && fresh.has(k.row)]));
      return events.map((_, index): ResponseResult => {
        const applied = recorded.get(index);
        return { index, outcome: applied === undefined ? 'no_campaign' : applied ? 'applied' : 'duplicate' };
      });
    },
    campaignForMailing: async (mailingId) => campaignOf(config, mailingId),
    close: async () => undefined,
  };
}

/**
 * The CRM campaign of an Optimizely mailing id, by the configuration's own keys only: the id comes
 * from Optimizely's answers, and one named `constructor`, `toString` or `__proto__` found what every
 * object has (a function, Object.prototype), so its opens and clicks were handed over under it.
 */
function campaignOf(config: CsvCrmConfig, mailingId: string): string | undefined {
  return Object.hasOwn(config.campaigns, mailingId) ? config.campaigns[mailingId] : undefined;
}

// eslint-disable-next-line require-yield -- an iterable that fails on first use, like the SQL adapters
async function* failing(error: Error): AsyncGenerator<never> {
  throw error;
}
