import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowBundleOption } from '@temporalio/worker';

// Bundling the workflows (webpack, inside Worker.create) takes seconds at every start and needs the
// bundler's dependencies at run time. `npm run build` bundles them once, next to the compiled
// JavaScript (dist/workflow-bundle.js, scripts/build-workflow-bundle.ts), and a worker started from
// dist/ loads that file instead. Started from the TypeScript sources, there is no such file, so the
// worker bundles workflows/ as before and always runs the code being edited.

export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/** dist/ when this module runs compiled (dist/src/temporal/), the repository root under tsx. */
const outputRoot = join(__dirname, '..', '..');

/** The bundle `npm run build` wrote beside this compiled module, or undefined (then bundle at start). */
export function prebuiltWorkflowBundle(root: string = outputRoot): WorkflowBundleOption | undefined {
  const codePath = join(root, WORKFLOW_BUNDLE_FILE);
  return existsSync(codePath) ? { codePath } : undefined;
}
