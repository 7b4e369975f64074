export { createOptimizelyClient, MAX_CONCURRENCY, type OptimizelyClientOptions } from './create-optimizely-client';
export type * from './optimizely-port';
export { OPTIMIZELY_NON_RETRYABLE_ERROR_TYPES } from './retry-contract';
export { MAX_BATCH_SIZE } from './services/recipient';
