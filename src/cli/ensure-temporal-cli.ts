import { resolveTemporalCli } from '../temporal/temporal-cli';
import { processIo } from './cli-io';
import { printError } from './print-error';

// `npm run setup:temporal`: finds or installs the Temporal CLI and says which one will be used.
try {
  const cli = resolveTemporalCli();
  console.log(`Temporal CLI (${cli.origin}): ${cli.path}`);
} catch (error) {
  printError(processIo(), error);
  process.exit(1);
}
