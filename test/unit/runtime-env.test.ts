import { loadRuntimeEnv } from '../../src/config/runtime-env';
import { RuntimeEnvError } from '../../src/errors/runtime-env-error';

describe('loadRuntimeEnv', () => {
  it('applies the embedded defaults to an empty environment', () => {
    const env = loadRuntimeEnv({});
    expect(env).toMatchObject({ LOG_FORMAT: 'json', CAMPAIGN_SYNC_DEV_SERVER_PORT: 7233, CAMPAIGN_SYNC_DEV_UI_PORT: 8233 });
    expect(env.dataDir).toMatch(/\.data$/);
  });

  it('binds the metrics endpoints to loopback unless told otherwise', () => {
    expect(loadRuntimeEnv({})).toMatchObject({ CAMPAIGN_SYNC_METRICS_HOST: '127.0.0.1' });
    expect(loadRuntimeEnv({ CAMPAIGN_SYNC_SDK_METRICS_ADDRESS: '9464' }).CAMPAIGN_SYNC_SDK_METRICS_ADDRESS).toBe('127.0.0.1:9464');
    expect(loadRuntimeEnv({ CAMPAIGN_SYNC_SDK_METRICS_ADDRESS: '0.0.0.0:9464', CAMPAIGN_SYNC_METRICS_HOST: '0.0.0.0' })).toMatchObject({
      CAMPAIGN_SYNC_SDK_METRICS_ADDRESS: '0.0.0.0:9464',
      CAMPAIGN_SYNC_METRICS_HOST: '0.0.0.0',
    });
  });

  it('lists every bad variable by name', () => {
    const call = () => loadRuntimeEnv({ LOG_FORMAT: 'xml', CAMPAIGN_SYNC_DEV_SERVER_PORT: 'seventy' });
    expect(call).toThrow(RuntimeEnvError);
    expect(call).toThrow(/LOG_FORMAT.*\n.*CAMPAIGN_SYNC_DEV_SERVER_PORT/s);
  });
});
