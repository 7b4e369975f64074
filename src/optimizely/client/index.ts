export { createOptimizelyClient, MAX_CONCURRENCY, type OptimizelyClientOptions } from './create-optimizely-client';
export type * from './optimizely-port';
export { MAX_BATCH_SIZE } from './services/recipient';
