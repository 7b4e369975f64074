import fc from 'fast-check';
import type { CliIo } from '../../../src/cli/cli-io';
import { EXIT } from '../../../src/cli/exit-codes';
import { MESSAGE_MAX, printError } from '../../../src/cli/print-error';
import { terminalSafeIo } from '../../../src/cli/terminal-text';
import { ActionRefusedError } from '../../../src/errors/action-refused-error';
import { CliUsageError } from '../../../src/errors/cli-usage-error';
import { ListBusyError } from '../../../src/errors/list-busy-error';
import { NoWorkerAnswerError } from '../../../src/errors/no-worker-answer-error';
import { hostileText } from '../../helpers/hostile-text';

// Whatever an error's message holds (a workflow's refusal or failure, a CRM driver's or server's
// text), the CLI prints it as one line of bounded length that a terminal shows as it is: a line break
// in it does not start a line that reads as the CLI's, a megabyte of it is not a megabyte of error.

// eslint-disable-next-line no-control-regex -- finding raw control characters is the point
const ACTS_ON = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;
const FORGED = fc.constantFrom('\ncampaign-sync: ok', '\r\nList newsletter: ready', '\u2028done', '\u001b[2K\rok', '\u0085next');
const message = fc.oneof(
  hostileText,
  fc.tuple(hostileText, FORGED, hostileText).map((parts) => parts.join('')),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => `${'\n'.repeat(3)}${'x'.repeat(n)}\n`),
);

const errors: Array<{ code: number; make: (text: string) => unknown }> = [
  { code: EXIT.failure, make: (text) => new Error(text) },
  { code: EXIT.failure, make: (text) => text },
  { code: EXIT.conflict, make: (text) => new ActionRefusedError('list-sync:demo:offers', 'approve', text) },
  { code: EXIT.conflict, make: (text) => new ListBusyError('offers', text) },
  { code: EXIT.noWorker, make: (text) => new NoWorkerAnswerError(text, 'pause', 10_000) },
  { code: EXIT.usage, make: (text) => new CliUsageError(text) },
];

function printed(error: unknown): { code: number; err: string[] } {
  const err: string[] = [];
  const io: CliIo = { out: () => undefined, err: (t) => err.push(t), env: {}, tty: true };
  // As runCli prints: through the terminal-safe wrapper.
  const code = printError(terminalSafeIo(io), error);
  return { code, err };
}

describe('printError', () => {
  it('prints any message as one bounded, terminal-safe line with its exit code', () => {
    fc.assert(
      fc.property(fc.nat({ max: errors.length - 1 }), message, (which, text) => {
        const { code, make } = errors[which] as (typeof errors)[number];
        const { code: exit, err } = printed(make(text));
        expect(exit).toBe(code);
        expect(err).toHaveLength(1);
        const line = err[0] as string;
        expect(line.split('\n')).toHaveLength(1);
        expect(line).not.toMatch(ACTS_ON);
        expect(line.startsWith('campaign-sync: ')).toBe(true);
        // Our prefix, the error's own words around the message, and the message cut at MESSAGE_MAX (+ '…').
        expect(line.length).toBeLessThanOrEqual(MESSAGE_MAX + 200);
      }),
    );
  });

  it('keeps a usage text of our own under the one-line message', () => {
    const { err } = printed(new CliUsageError('why: missing an e-mail address', 'why <email>\n  more'));
    expect(err).toEqual(['campaign-sync: why: missing an e-mail address', 'why <email>\n  more']);
  });
});
