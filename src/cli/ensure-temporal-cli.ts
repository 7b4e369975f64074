import { resolveTemporalCli } from '../temporal/temporal-cli';

// `npm run setup:temporal`: finds or installs the Temporal CLI and says which one will be used.
try {
  const cli = resolveTemporalCli();
  console.log(`Temporal CLI (${cli.origin}): ${cli.path}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
