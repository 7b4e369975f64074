import { decideHeld } from '../../operations/decide-held';
import { onePositional, stringOption, type Command } from '../command';
import { EXIT } from '../exit-codes';

function decideCommand(approve: boolean): Command {
  const name = approve ? 'approve' : 'reject';
  return {
    name,
    usage: `${name} <list> [--reason <text>]`,
    summary: approve ? 'let a held list sync clear and refill the list' : 'end a held list sync, leaving the list untouched',
    options: { reason: { type: 'string' } },
    async run(ctx, positionals, values) {
      const listKey = onePositional(this, positionals, 'the list key');
      const { workflowId } = await decideHeld(await ctx.operations(), listKey, approve, { by: ctx.by, reason: stringOption(values, 'reason') });
      ctx.print({ listKey, workflowId, decision: name, by: ctx.by }, () => [`${approve ? 'Approved' : 'Rejected'} ${workflowId} as ${ctx.by}`]);
      return EXIT.ok;
    },
  };
}

export const approveCommand = decideCommand(true);
export const rejectCommand = decideCommand(false);
