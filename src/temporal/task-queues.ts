/**
 * Task queue names are part of the public API: renaming one strands running executions and
 * schedules. A breaking change to workflow code that cannot be patched gets a new versioned name.
 */
export const TASK_QUEUE = 'campaign-sync';
