import { Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';

let installed = false;

/**
 * Routes the SDK's logs (workflow `log`, activity `log`, core) into our pino logger. The Runtime
 * can be installed once per process, before the first connection, so later calls are ignored.
 */
export function installRuntimeLogger(logger: PinoLogger, options: { metricsBindAddress?: string } = {}): void {
  if (installed) return;
  installed = true;
  const forward = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    logger[method](meta ?? {}, message);
  };
  Runtime.install({
    // The SDK's own metrics (task latencies, slots, polls) on a Prometheus endpoint of their own.
    ...(options.metricsBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } } : {}),
    logger: {
      log: forward,
      trace: (m, meta) => forward('TRACE', m, meta),
      debug: (m, meta) => forward('DEBUG', m, meta),
      info: (m, meta) => forward('INFO', m, meta),
      warn: (m, meta) => forward('WARN', m, meta),
      error: (m, meta) => forward('ERROR', m, meta),
    },
  });
}
