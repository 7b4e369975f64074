import { loadRuntimeEnv, RuntimeEnvError } from '../../src/config/runtime-env';

describe('loadRuntimeEnv', () => {
  it('applies the embedded defaults to an empty environment', () => {
    const env = loadRuntimeEnv({});
    expect(env).toMatchObject({ LOG_FORMAT: 'json', CAMPAIGN_SYNC_DEV_SERVER_PORT: 7233, CAMPAIGN_SYNC_DEV_UI_PORT: 8233 });
    expect(env.dataDir).toMatch(/\.data$/);
  });

  it('lists every bad variable by name', () => {
    const call = () => loadRuntimeEnv({ LOG_FORMAT: 'xml', CAMPAIGN_SYNC_DEV_SERVER_PORT: 'seventy' });
    expect(call).toThrow(RuntimeEnvError);
    expect(call).toThrow(/LOG_FORMAT.*\n.*CAMPAIGN_SYNC_DEV_SERVER_PORT/s);
  });
});
