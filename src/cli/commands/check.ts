import { openCrm } from '../../crm/open-crm';
import { requireList } from '../../operations/operations';
import { checkLists } from '../../sync/preflight/check-lists';
import { openBudgetedOptimizelyClient } from '../budgeted-optimizely-client';
import { checkLines } from '../check-lines';
import { stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';

/** `check [--list <key>]`: the pre-flight of every list (or one) plus the CRM selection's columns; changes nothing. */
export const checkCommand: Command = {
  name: 'check',
  usage: 'check [--list <key>]',
  summary: 'check each list against Optimizely (list, fields, opt-in process) and its CRM selection; changes nothing',
  options: { list: { type: 'string' } },
  async run(ctx, _positionals, values) {
    const listKey = stringOption(values, 'list');
    if (listKey !== undefined) requireList(ctx.client, listKey);
    const lists = ctx.client.lists.filter((l) => listKey === undefined || l.key === listKey);
    const optimizely = await openBudgetedOptimizelyClient(ctx);
    const crm = openCrm(ctx.config.crm, ctx.io.env);
    try {
      const results = await checkLists({ config: ctx.config, client: ctx.client, lists, named: listKey !== undefined, optimizely, crm });
      const ok = results.every((r) => r.ok);
      ctx.print({ client: ctx.client.key, ok, lists: results }, () => checkLines(ctx.client.key, results));
      return ok ? EXIT.ok : EXIT.failure;
    } finally {
      await Promise.allSettled([optimizely.close(), crm.close()]);
    }
  },
};
