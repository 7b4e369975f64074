import { CliUsageError } from '../../errors/cli-usage-error';
import { setListPaused } from '../../operations/list-controls';
import { onePositional, stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';

/** `pause <list> --reason <text>`: stays paused across days until `resume`. */
export const pauseCommand: Command = {
  name: 'pause',
  usage: 'pause <list> --reason <text>',
  summary: 'pause a list (persists across daily runs) and signal the open runs',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = onePositional(this, positionals, 'the list key');
    const reason = stringOption(values, 'reason');
    if (!reason?.trim()) throw new CliUsageError('pause: say why with --reason <text>; it is recorded with your name', this.usage);
    const outcome = await setListPaused(await ctx.operations(), listKey, true, { by: ctx.by, reason });
    ctx.print(outcome, () => [
      `List ${listKey} paused by ${ctx.by}: ${reason}`,
      outcome.signalled.length ? `Signalled ${outcome.signalled.join(', ')} (takes effect at the next safe point)` : 'No open run; daily runs skip it until: campaign-sync resume ' + listKey,
    ]);
    return EXIT.ok;
  },
};
