// Inputs and outputs of every activity are JSON-plain, references and counts only. No e-mail
// address, name or credential ever appears in them, because all of it lands in workflow histories.
// The shared references are here; each group's inputs and outputs are in `<group>-types.ts` beside it.

/** Counts keyed by a reason code or a result code ("0".."7"). */
export type Counts = Record<string, number>;

export interface ListRef {
  client: string;
  listKey: string;
}

export interface RunRef extends ListRef {
  /** The state store's run id: the Temporal run id of the list sync. */
  runId: string;
}
