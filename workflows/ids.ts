// Workflow ids are business keys: one open workflow per id is what makes them locks.
export const smokeWorkflowId = (requestedBy: string, startedAt: string): string => `smoke:${requestedBy}:${startedAt}`;
