import { heartbeat, log } from '@temporalio/activity';
import { importFeedback } from '../src/feedback/import-feedback';
import { runDir } from '../src/sync/run-dir';
import { ConfigError } from '../src/errors/config-error';
import type { ActivityDependencies } from './deps';
import type { ImportFeedbackInput, ImportFeedbackOutput } from './types';

/** Bounces and unsubscribes from Optimizely into the CRM, before any list is exported. */
export function createFeedbackActivities(deps: ActivityDependencies) {
  return {
    async importFeedback(input: ImportFeedbackInput): Promise<ImportFeedbackOutput> {
      const client = deps.config.clients.find((c) => c.key === input.client);
      if (!client) throw new ConfigError('configuration', [`unknown client ${input.client}`]);
      const result = await importFeedback({
        client,
        optimizely: deps.optimizely(input.client),
        store: deps.store,
        crm: deps.crm,
        runDir: runDir(deps.config.dataDir, input.client, input.runId),
        now: deps.now ?? (() => new Date()),
        heartbeat: (details) => heartbeat(details),
      });
      const { bounces, unsubscribes } = result;
      const invalidLines = [...bounces.invalidLines, ...unsubscribes.invalidLines];
      if (invalidLines.length > 0) log.warn('Feedback rows without recipient id or timestamp', { client: input.client, lines: invalidLines });
      const output: ImportFeedbackOutput = {
        bounces: bounces.rows,
        unsubscribes: unsubscribes.rows,
        applied: bounces.applied + unsubscribes.applied,
        alreadyApplied: bounces.alreadyApplied + unsubscribes.alreadyApplied,
        unknownRecipient: bounces.unknownRecipient + unsubscribes.unknownRecipient,
        unknownEntity: bounces.unknownEntity + unsubscribes.unknownEntity,
        invalidRows: bounces.invalidRows + unsubscribes.invalidRows,
        watermark: result.watermark,
        files: result.files,
      };
      log.info('Feedback imported', { client: input.client, ...output, files: output.files.length });
      return output;
    },
  };
}
