// The worker's workflowsPath: every workflow type the task queue serves is exported here.
export { smokeWorkflow } from './smoke';
