import { COMMANDS } from './commands';

/** The top-level help: every command with one line, the global flags and the exit codes. */
export function usageText(): string {
  return [
    'usage: campaign-sync <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Global options:',
    '  --config <file>      configuration (default $CAMPAIGN_SYNC_CONFIG or config/demo.json)',
    '  --client <key>       the client to act on (default: the only one)',
    '  --by <name>          who you are, recorded with every action (default $USER)',
    '  --task-queue <name>  where new runs are started (default campaign-sync)',
    '  --json               machine-readable output',
    '',
    'Temporal: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*.',
    'Exit codes: 0 ok, 1 failure, 2 usage or configuration, 3 not found, 4 no Temporal server, 5 list busy.',
  ].join('\n');
}
