import { setListPaused } from '../../operations/list-controls';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { answerLines, operatorActor } from '../operator-actor';

/** `resume <list> [--reason <text>]`: lifts a pause; the open run continues or runs the list again. */
export const resumeCommand: Command = {
  name: 'resume',
  usage: 'resume <list> [--reason <text>]',
  summary: 'resume a paused list; the open run holding it answers',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = listKeyArgument(ctx, this, positionals);
    const actor = operatorActor(ctx, this, values);
    const outcome = await setListPaused(await ctx.operations(), listKey, false, actor);
    ctx.print(outcome, () => [
      `List ${listKey} resumed by ${actor.by}`,
      ...answerLines(outcome.answer, 'No open run holds it; the next daily run syncs it.'),
    ]);
    return EXIT.ok;
  },
};
