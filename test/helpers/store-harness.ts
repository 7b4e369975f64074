import { createStateStore, type StateStore, type StateStoreConfig } from '../../src/store';

/** Hands each describe block a configuration for a fresh, empty database of one engine. */
export interface StoreHarness {
  freshConfig(): Promise<StateStoreConfig>;
  /**
   * A fresh database whose text sorts by a language's rules, as a production PostgreSQL created with
   * its locale's default does (PostgreSQL: ICU `en-US`); absent where the engine has none (SQLite).
   */
  languageOrderedConfig?(): Promise<StateStoreConfig>;
}

export interface StoreUnderTest {
  readonly store: StateStore;
  readonly config: StateStoreConfig;
}

/** Opens a store on a fresh database before the block's tests and closes it after them. */
export function useStore(harness: StoreHarness): StoreUnderTest {
  const current: { store?: StateStore; config?: StateStoreConfig } = {};
  beforeAll(async () => {
    current.config = await harness.freshConfig();
    current.store = await createStateStore(current.config);
  });
  afterAll(async () => {
    await current.store?.close();
  });
  return {
    get store() {
      if (!current.store) throw new Error('store used outside a test');
      return current.store;
    },
    get config() {
      if (!current.config) throw new Error('config used outside a test');
      return current.config;
    },
  };
}
