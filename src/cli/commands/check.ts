import { openCrm } from '../../crm/open-crm';
import { requireList } from '../../operations/operations';
import { checkLists, type ListCheckResult } from '../../sync/preflight/check-lists';
import { openBudgetedOptimizelyClient } from '../budgeted-optimizely-client';
import type { CliContext } from '../cli-context';
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
      ctx.print({ client: ctx.client.key, ok, lists: results }, () => render(ctx, results));
      return ok ? EXIT.ok : EXIT.failure;
    } finally {
      await Promise.allSettled([optimizely.close(), crm.close()]);
    }
  },
};

function render(ctx: CliContext, results: ListCheckResult[]): string[] {
  const width = Math.max(...results.map((r) => r.listKey.length));
  const failed = results.filter((r) => !r.ok).length;
  return [
    `Checked ${results.length} list(s) of client ${ctx.client.key} at Optimizely and in the CRM; nothing was changed.`,
    ...results.flatMap((r) => lines(r, width)),
    failed === 0
      ? 'All checked lists pass.'
      : `${failed} of ${results.length} list(s) failed: their next sync would fail before the clear.`,
  ];
}

function lines(r: ListCheckResult, width: number): string[] {
  const head = `  ${r.listKey.padEnd(width)}  `;
  if (r.skipped) return [`${head}skipped  disabled (check it with --list ${r.listKey})`];
  if (!r.ok)
    return r.problems.map((problem, i) => `${i === 0 ? head : ' '.repeat(head.length)}${i === 0 ? 'FAILED' : '      '}   ${problem}`);
  const columns = r.columnsChecked ? 'CRM selection has every column' : 'CRM selection returned no rows, columns not seen';
  return [`${head}ok       list ${r.listId} has all ${r.fieldsRequired} fields sent; ${columns}`];
}
