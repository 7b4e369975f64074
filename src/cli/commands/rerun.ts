import { rerunList } from '../../operations/rerun-list';
import { onePositional, stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';

/** `rerun <list>`: through the open daily run, or as a list sync alone when none is open. */
export const rerunCommand: Command = {
  name: 'rerun',
  usage: 'rerun <list> [--reason <text>]',
  summary: 'sync one list again (via the open daily run, or alone)',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = onePositional(this, positionals, 'the list key');
    const outcome = await rerunList(await ctx.operations(), listKey, { by: ctx.by, reason: stringOption(values, 'reason') });
    ctx.print(outcome, () => [
      outcome.mode === 'signalled'
        ? `Re-run of ${listKey} queued in the open daily run ${outcome.workflowId}`
        : `List sync ${outcome.workflowId} started on its own`,
      ...(outcome.pausedControl ? [`Note: ${listKey} is paused; it is skipped until: campaign-sync resume ${listKey}`] : []),
    ]);
    return EXIT.ok;
  },
};
