import { makeTelemetryFilterString, Runtime, type LogLevel, type LogMetadata, type RuntimeOptions } from '@temporalio/worker';
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
  Runtime.install(runtimeOptions(forward, options));
}

/**
 * The Runtime's options: every SDK log through `forward`, including the native core's (retries during
 * a Temporal outage, poll errors), which by default go straight to the console as coloured text and
 * would bypass the JSON log stream.
 */
export function runtimeOptions(
  forward: (level: LogLevel, message: string, meta?: LogMetadata) => void,
  options: { metricsBindAddress?: string } = {},
): RuntimeOptions {
  return {
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      // The SDK's own metrics (task latencies, slots, polls) on a Prometheus endpoint of their own.
      ...(options.metricsBindAddress ? { metrics: { prometheus: { bindAddress: options.metricsBindAddress } } } : {}),
    },
    logger: {
      log: forward,
      trace: (m, meta) => forward('TRACE', m, meta),
      debug: (m, meta) => forward('DEBUG', m, meta),
      info: (m, meta) => forward('INFO', m, meta),
      warn: (m, meta) => forward('WARN', m, meta),
      error: (m, meta) => forward('ERROR', m, meta),
    },
  };
}
