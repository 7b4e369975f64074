import { ActionRefusedError } from '../errors/action-refused-error';
import { CliUsageError } from '../errors/cli-usage-error';
import { ConfigError } from '../errors/config-error';
import { ListBusyError } from '../errors/list-busy-error';
import { NoWorkerAnswerError } from '../errors/no-worker-answer-error';
import { NotFoundError } from '../errors/not-found-error';
import { TemporalCliMissingError } from '../errors/temporal-cli-missing-error';
import { TemporalUnreachableError } from '../errors/temporal-unreachable-error';
import type { CliIo } from './cli-io';
import { EXIT } from './exit-codes';
import { boundedLine } from './terminal-text';

// An error's message may hold text from outside: a workflow's refusal or failure, a CRM driver's
// message quoting a value, a server's answer. Printed as a block, a line break in it printed a line of
// its own that read as the CLI's (`campaign-sync: refused: ...\nList newsletter: ready`), and a
// megabyte message a megabyte of error. So a message is one line, terminal-safe and cut at
// MESSAGE_MAX printed characters, except for the errors whose lines are our own words with every
// outside value already shown on one bounded line (ConfigError, TemporalUnreachableError,
// TemporalCliMissingError's hint).

/** Printed characters of an error message at most. */
export const MESSAGE_MAX = 1000;

/** Prints why the invocation failed to stderr and returns the exit code it means. */
export function printError(io: CliIo, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const oneLine = (prefix: string) => io.err(`${prefix}${boundedLine(message, MESSAGE_MAX)}`);
  if (error instanceof ConfigError) return ownLines(io, message, EXIT.usage);
  if (error instanceof TemporalUnreachableError) return ownLines(io, message, EXIT.noServer);
  if (error instanceof TemporalCliMissingError) return ownLines(io, `campaign-sync: ${message}`, EXIT.failure);
  if (error instanceof CliUsageError) {
    oneLine('campaign-sync: ');
    if (error.usage) io.err(error.usage);
    return EXIT.usage;
  }
  const [prefix, code] = classify(error);
  oneLine(prefix);
  return code;
}

function classify(error: unknown): [string, number] {
  if (error instanceof NotFoundError) return ['campaign-sync: ', EXIT.notFound];
  if (error instanceof ActionRefusedError) return ['campaign-sync: refused: ', EXIT.conflict];
  if (error instanceof NoWorkerAnswerError) return ['campaign-sync: ', EXIT.noWorker];
  if (error instanceof ListBusyError) return ['campaign-sync: ', EXIT.conflict];
  return ['campaign-sync: ', EXIT.failure];
}

/** A message of our own lines (each outside value in it already shown on one bounded line). */
function ownLines(io: CliIo, message: string, code: number): number {
  io.err(message);
  return code;
}
