import { Registry } from 'prom-client';
import { startMetricsServer } from '../../../src/metrics/metrics-server';

describe('startMetricsServer', () => {
  it('binds loopback when no host is configured: the endpoint has no authentication', async () => {
    const server = await startMetricsServer({ registry: new Registry(), port: 0 });
    try {
      expect(server.boundAddress).toBe('127.0.0.1');
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('binds the configured host', async () => {
    const server = await startMetricsServer({ registry: new Registry(), port: 0, host: '0.0.0.0' });
    try {
      expect(server.boundAddress).toBe('0.0.0.0');
    } finally {
      await server.close();
    }
  });
});
