import { setListPaused } from '../../operations/list-controls';
import { onePositional, stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';

/** `resume <list> [--reason <text>]`: lifts a pause; an open run continues or queues the list again. */
export const resumeCommand: Command = {
  name: 'resume',
  usage: 'resume <list> [--reason <text>]',
  summary: 'resume a paused list and signal the open runs',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = onePositional(this, positionals, 'the list key');
    const reason = stringOption(values, 'reason');
    const outcome = await setListPaused(await ctx.operations(), listKey, false, { by: ctx.by, reason });
    ctx.print(outcome, () => [
      `List ${listKey} resumed by ${ctx.by}`,
      outcome.signalled.length ? `Signalled ${outcome.signalled.join(', ')}` : 'No open run; the next daily run syncs it.',
    ]);
    return EXIT.ok;
  },
};
