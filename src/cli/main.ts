import { processIo } from './cli-io';
import { runCli } from './run-cli';
import { terminalBlock } from './terminal-text';

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
    process.stderr.write(`${terminalBlock(error instanceof Error ? error.message : String(error))}\n`);
    process.exit(1);
  },
);
