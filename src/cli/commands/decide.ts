import { decideHeld } from '../../operations/decide-held';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { answerLines, operatorActor } from '../operator-actor';

function decideCommand(approve: boolean): Command {
  const name = approve ? 'approve' : 'reject';
  return {
    name,
    usage: `${name} <list> [--reason <text>]`,
    summary: approve ? 'let a held list sync clear and refill the list' : 'end a held list sync, leaving the list untouched',
    options: { reason: { type: 'string' } },
    async run(ctx, positionals, values) {
      const listKey = listKeyArgument(ctx, this, positionals);
      const actor = operatorActor(ctx, this, values);
      const answer = await decideHeld(await ctx.operations(), listKey, approve, actor);
      ctx.print({ listKey, decision: name, by: actor.by, ...answer }, () => answerLines(answer, ''));
      return EXIT.ok;
    },
  };
}

export const approveCommand = decideCommand(true);
export const rejectCommand = decideCommand(false);
