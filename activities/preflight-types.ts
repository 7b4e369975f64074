// JSON-plain references and counts only: every input and output lands in workflow histories.

/** The list exists at Optimizely, has every field the refill sends and, if set, the opt-in process exists. */
export interface PreflightListOutput {
  fieldsChecked: number;
}
