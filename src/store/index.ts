export { createStateStore, stateStoreConfigSchema, stateStoreMigrations, type StateStoreConfig } from './create-state-store';
export type * from './state-store';
export type * from './types';
export type * from './incident-types';
export type * from './slot-lease-types';
export { canonicalJson } from './canonical-json';
