// The state store's vocabulary, one concept a file (runs, ledger, snapshots, controls, watermarks,
// feedback intake, suppressions), gathered here so callers import it in one line. Files inside
// src/store/ import the concept file itself, never this one, so no cycle runs back through here.
export type * from './json-types';
export * from './run-types';
export type * from './ledger-types';
export type * from './snapshot-types';
export type * from './control-types';
export type * from './watermark-types';
export type * from './feedback-intake-types';
export type * from './suppression-types';
export type * from './refusal-types';
