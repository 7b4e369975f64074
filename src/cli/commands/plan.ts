import { openCrm } from '../../crm/open-crm';
import { requireList } from '../../operations/operations';
import { diffCsvWriter, type DiffCsvWriter } from '../../plan/diff-csv';
import { planList } from '../../plan/plan-list';
import { listRules } from '../../sync/config-lookup';
import { openBudgetedOptimizelyClient } from '../budgeted-optimizely-client';
import { onePositional, stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { planLines } from '../plan-lines';

/**
 * `plan <list> [--csv <file>]`: what the next refresh would change, computed in this process with the
 * nightly export's code against the live list; changes nothing and involves no Temporal worker.
 */
export const planCommand: Command = {
  name: 'plan',
  usage: 'plan <list> [--csv <file>]',
  summary: 'dry run: diff of the CRM selection against the live Optimizely list, and the guard verdict; changes nothing',
  options: { csv: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = onePositional(this, positionals, 'the list key');
    requireList(ctx.client, listKey);
    const list = ctx.client.lists.find((l) => l.key === listKey)!;
    const csvFile = stringOption(values, 'csv');
    const store = await ctx.store();
    const optimizely = await openBudgetedOptimizelyClient(ctx);
    const crm = openCrm(ctx.config.crm, ctx.io.env);
    let csv: DiffCsvWriter | undefined;
    try {
      csv = csvFile === undefined ? undefined : diffCsvWriter(csvFile);
      const report = await planList({
        client: ctx.client.key,
        list,
        rules: listRules(ctx.config, ctx.client.key, list),
        crm,
        store,
        optimizely,
        onEntry: csv ? (entry) => csv!.write(entry) : undefined,
        signal: ctx.io.signal,
      });
      const csvRows = csv ? await csv.close() : undefined;
      csv = undefined;
      ctx.print({ client: ctx.client.key, ...report, ...(csvFile ? { csv: { file: csvFile, rows: csvRows } } : {}) }, () =>
        planLines(report, csvFile, csvRows),
      );
      return EXIT.ok;
    } finally {
      // Still open here only when the plan failed: no diff file that looks whole.
      await Promise.allSettled([csv?.abort(), optimizely.close(), crm.close()]);
    }
  },
};
