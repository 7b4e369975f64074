import type { LogLevel } from '@temporalio/worker';
import { runtimeOptions } from '../../../src/temporal/runtime-logger';

// One log stream: the native core's messages are forwarded to the same logger as everything else,
// not printed to the console as coloured text.
describe('runtimeOptions', () => {
  it('forwards the native core logs (warnings and up) to the logger, with or without SDK metrics', () => {
    for (const metricsBindAddress of [undefined, '127.0.0.1:9464']) {
      const options = runtimeOptions(() => undefined, metricsBindAddress ? { metricsBindAddress } : {});
      const logging = options.telemetryOptions?.logging as { forward?: unknown; console?: unknown; filter?: string };
      expect(logging.forward).toEqual({});
      expect(logging.console).toBeUndefined();
      expect(logging.filter).toMatch(/temporalio_sdk_core=WARN/);
      expect(Boolean(options.telemetryOptions?.metrics)).toBe(metricsBindAddress !== undefined);
    }
  });

  it('hands every level to the one forward function', () => {
    const seen: Array<[LogLevel, string]> = [];
    const logger = runtimeOptions((level, message) => seen.push([level, message])).logger;
    logger?.trace('t');
    logger?.debug('d');
    logger?.info('i');
    logger?.warn('w');
    logger?.error('e');
    expect(seen).toEqual([
      ['TRACE', 't'],
      ['DEBUG', 'd'],
      ['INFO', 'i'],
      ['WARN', 'w'],
      ['ERROR', 'e'],
    ]);
  });
});
