import { setListPaused } from '../../operations/list-controls';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { resumedLines } from '../list-action-lines';
import { operatorActor } from '../operator-actor';

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
    ctx.print(outcome, () => resumedLines(listKey, actor, outcome));
    return EXIT.ok;
  },
};
