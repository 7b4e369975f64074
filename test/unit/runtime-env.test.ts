import fc from 'fast-check';
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

  it('takes a port only as written in decimal digits, else refuses it naming the variable', () => {
    const variables = ['CAMPAIGN_SYNC_DEV_SERVER_PORT', 'CAMPAIGN_SYNC_DEV_UI_PORT', 'CAMPAIGN_SYNC_METRICS_PORT'] as const;
    const written = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer({ min: -10, max: 70_000 }).map(String),
      fc.constantFrom('', ' ', '1e3', '0x1F91', '8233.0', '+80', ' 9465 ', '0009465', '0b1', 'Infinity', '\u0663\u0663', '80\n'),
    );
    fc.assert(
      fc.property(fc.constantFrom(...variables), written, (name, value) => {
        let port: number | undefined;
        try {
          port = loadRuntimeEnv({ [name]: value })[name];
        } catch (error) {
          expect(error).toBeInstanceOf(RuntimeEnvError);
          expect((error as Error).message).toContain(`  ${name}: `);
          return;
        }
        const digits = value.trim();
        expect(digits).toMatch(/^\d+$/);
        expect(port).toBe(Number(digits));
        expect(port).toBeGreaterThanOrEqual(name === 'CAMPAIGN_SYNC_METRICS_PORT' ? 0 : 1);
        expect(port).toBeLessThanOrEqual(65535);
      }),
      { numRuns: 500 },
    );
  });

  it('lists every bad variable by name', () => {
    const call = () => loadRuntimeEnv({ LOG_FORMAT: 'xml', CAMPAIGN_SYNC_DEV_SERVER_PORT: 'seventy' });
    expect(call).toThrow(RuntimeEnvError);
    expect(call).toThrow(/LOG_FORMAT.*\n.*CAMPAIGN_SYNC_DEV_SERVER_PORT/s);
  });
});
