import { parseDuration } from '../../config/duration';
import { shownInput } from '../../errors/quoted-text';
import { CliUsageError } from '../../errors/cli-usage-error';
import { DEFAULT_ASK, type AskOptions } from '../../operations/inspect-workflow';
import { anythingOpen, someRunUnanswered, statusSnapshot } from '../../operations/status-snapshot';
import type { CliContext } from '../cli-context';
import { wholeNumberOption, type Command } from '../command';
import { EXIT } from '../exit-codes';
import { renderStatus } from '../render-status';
import { printedLines } from '../terminal-text';

/** `status [--watch]`: the open daily run and a progress bar per list; --watch redraws every second. */
export const statusCommand: Command = {
  name: 'status',
  usage: 'status [--watch] [--answer-timeout <duration>]',
  summary: 'progress of the open runs, per list (exit 6 when no worker answers); --watch redraws every second',
  options: { watch: { type: 'boolean' }, interval: { type: 'string' }, 'answer-timeout': { type: 'string' } },
  async run(ctx, _positionals, values) {
    const ask = askOptions(values['answer-timeout']);
    const intervalMs = wholeNumberOption(this, values, 'interval', { min: 100, max: 3_600_000, default: 1000 });
    const ops = await ctx.operations();
    for (;;) {
      const snapshot = await statusSnapshot(ops, ask);
      draw(ctx, snapshot, Boolean(values.watch));
      // Non-zero while an open run has no worker answering: a script must not read that as "all well".
      const code = someRunUnanswered(snapshot) ? EXIT.noWorker : EXIT.ok;
      if (!values.watch || !anythingOpen(snapshot) || ctx.io.signal?.aborted) return code;
      if (!(await sleep(intervalMs, ctx.io.signal))) return code;
    }
  },
};

/** Each open run is asked twice, `--answer-timeout` (default 10s) each, before it counts as unanswered. */
export function askOptions(text: string | boolean | undefined): AskOptions {
  if (text === undefined) return DEFAULT_ASK;
  // Each ask is bounded by a timer: past ten minutes `status` would look hung, not patient.
  const parsed = typeof text === 'string' ? parseDuration(text, { maxMs: 600_000 }) : undefined;
  if (!parsed?.ok)
    throw new CliUsageError(
      `--answer-timeout must be ${parsed?.problem ?? 'a duration such as 10s or 1m'} (e.g. 10s or 1m), not ${shownInput(String(text))}`,
    );
  return { ...DEFAULT_ASK, answerTimeoutMs: parsed.ms };
}

function draw(ctx: CliContext, snapshot: Awaited<ReturnType<typeof statusSnapshot>>, watch: boolean): void {
  if (ctx.json) {
    // One JSON document per line while watching, so a script can read frames as they come.
    ctx.io.out(watch ? JSON.stringify(snapshot) : JSON.stringify(snapshot, null, 2));
    return;
  }
  const lines = renderStatus(snapshot);
  if (watch) lines.push(anythingOpen(snapshot) ? '(Ctrl-C to stop watching)' : 'Nothing open any more.');
  if (watch && ctx.io.tty) ctx.io.clearScreen?.();
  ctx.io.out(printedLines(lines).join('\n'));
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
