import { setListPaused } from '../../operations/list-controls';
import { listKeyArgument, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { pausedLines } from '../list-action-lines';
import { operatorActor } from '../operator-actor';

/** `pause <list> --reason <text>`: stays paused across days until `resume`; the open run answers. */
export const pauseCommand: Command = {
  name: 'pause',
  usage: 'pause <list> --reason <text>',
  summary: 'pause a list (persists across daily runs); the open run holding it answers',
  options: { reason: { type: 'string' } },
  async run(ctx, positionals, values) {
    const listKey = listKeyArgument(ctx, this, positionals);
    const actor = operatorActor(ctx, this, values, true);
    const outcome = await setListPaused(await ctx.operations(), listKey, true, actor);
    ctx.print(outcome, () => pausedLines(listKey, actor, outcome));
    return EXIT.ok;
  },
};
