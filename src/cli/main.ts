import { processIo } from './cli-io';
import { runCli } from './run-cli';
import { MESSAGE_MAX } from './print-error';
import { boundedLine } from './terminal-text';

// `campaign-sync <command>` (bin/campaign-sync.js): the operator CLI. Ctrl-C ends `status --watch`
// cleanly; a second Ctrl-C exits at once.
const interrupted = new AbortController();
process.on('SIGINT', () => {
  if (interrupted.signal.aborted) process.exit(130);
  interrupted.abort();
});

runCli(process.argv.slice(2), processIo(interrupted.signal)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Only a bug gets here (runCli prints every error it knows): still one bounded, terminal-safe line.
    process.stderr.write(`${boundedLine(error instanceof Error ? error.message : String(error), MESSAGE_MAX)}\n`);
    process.exit(1);
  },
);
