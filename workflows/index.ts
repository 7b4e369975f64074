// The worker's workflowsPath: every workflow type the task queue serves is exported here.
export { smokeWorkflow } from './smoke';
export { listSyncWorkflow } from './list-sync';
export { dailySyncWorkflow } from './daily-sync';
export { responseIngestWorkflow } from './response-ingest';
export { readyByWorkflow } from './ready-by';
