import { decideHeld } from '../../operations/decide-held';
import { listKeyArgument, wholeNumberOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { answerLines, operatorActor } from '../operator-actor';

function decideCommand(approve: boolean): Command {
  const name = approve ? 'approve' : 'reject';
  return {
    name,
    usage: `${name} <list> [--hold <n>] [--reason <text>]`,
    summary: approve ? 'let a held list sync clear and refill the list' : 'end a held list sync, leaving the list untouched',
    options: { reason: { type: 'string' }, hold: { type: 'string' } },
    async run(ctx, positionals, values) {
      const listKey = listKeyArgument(ctx, this, positionals);
      const actor = operatorActor(ctx, this, values);
      // The hold `status` showed (a run held again after exporting again counts on): the decision is refused for any other.
      const hold = values.hold === undefined ? undefined : wholeNumberOption(this, values, 'hold', { min: 1, max: 1_000_000, default: 1 });
      const answer = await decideHeld(await ctx.operations(), listKey, approve, actor, hold);
      ctx.print({ listKey, decision: name, by: actor.by, ...answer }, () => answerLines(answer, ''));
      return EXIT.ok;
    },
  };
}

export const approveCommand = decideCommand(true);
export const rejectCommand = decideCommand(false);
