// `npm run build`, second step: bundles workflows/ (compiled to dist/workflows by tsc) into
// dist/workflow-bundle.js, which a worker started from dist/ loads instead of bundling at start
// (src/temporal/workflow-bundle.ts). Run compiled, from dist/scripts/.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_FILE } from '../src/temporal/workflow-bundle';

async function main(): Promise<void> {
  const outputRoot = join(__dirname, '..');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  const file = join(outputRoot, WORKFLOW_BUNDLE_FILE);
  await writeFile(file, code);
  process.stdout.write(`workflow bundle: ${file} (${Math.round(code.length / 1024)} KiB)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
