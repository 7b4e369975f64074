import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load-config';
import { loadRuntimeEnv } from '../../../src/config/runtime-env';
import { SEARCH_ATTRIBUTES } from '../../../workflows/search-attributes';

// There is no Docker engine on the build machines: this test stands in for `docker compose config`
// and checks that the worker would find everything it reads at start-up.

const root = join(__dirname, '../../..');
interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: string[] | Record<string, { condition: string }>;
  volumes?: string[];
  command?: string[];
  ports?: Array<string | { host_ip?: string; published?: string | number; target?: number }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const hasPromtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;
const worker = services.worker as Service;
const env = worker.environment ?? {};

/** The file inside the container a worker path points to, mapped back through a bind mount. */
function hostPathOf(containerPath: string): string | undefined {
  for (const volume of worker.volumes ?? []) {
    const [host, target] = volume.split(':');
    if (target === containerPath && host?.startsWith('./')) return join(root, host);
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal on PostgreSQL, its setup, the Web UI, the worker, Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual([
      'grafana',
      'postgresql',
      'prometheus',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]);
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup:\d/);
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('depends only on services and volumes it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect([name, dep, dep in services]).toEqual([name, dep, true]);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (source.startsWith('./')) expect(existsSync(join(root, source))).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('builds the worker from the Dockerfile: compiled JavaScript and a prebuilt workflow bundle, production dependencies only', () => {
    expect(worker.build).toBe('.');
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const [build, final] = stages as [string, string];
    expect(build).toMatch(/^node:20\S* AS build\n/);
    expect(build).toMatch(/^RUN npm ci\b(?!.*--omit=dev)/m);
    expect(build).toMatch(/^RUN npm run build$/m);
    expect(final).toMatch(/^node:20/);
    expect(final).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(final).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(final).not.toMatch(/tsx|^COPY (src|workflows|activities|test)\b/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/worker\.js"\]$/m);
    // npm run build writes what the final stage runs: the compiled worker and the workflow bundle.
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toContain('tsc -p tsconfig.build.json');
    expect(scripts.build).toContain('node dist/scripts/build-workflow-bundle.js');
    for (const copied of build.matchAll(/^COPY (\S+) /gm)) expect(existsSync(join(root, copied[1] as string))).toBe(true);
  });

  it("publishes every port on the host's loopback only: nothing it serves has authentication", () => {
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => [name, port] as const));
    expect(published.map(([name]) => name).sort()).toEqual(['grafana', 'prometheus', 'temporal', 'temporal-ui', 'worker', 'worker']);
    for (const [name, port] of published) {
      const hostIp = typeof port === 'string' ? port.split(':').slice(0, -2).join(':') : port.host_ip;
      expect([name, port, hostIp]).toEqual([name, port, '127.0.0.1']);
    }
  });

  it('registers every search attribute the workflows set', () => {
    const script = (services['temporal-setup']?.command ?? []).join(' ');
    for (const key of SEARCH_ATTRIBUTES) expect(script).toContain(`--name ${key.name} --type Keyword`);
  });

  it('gives the worker its Temporal connection and a configuration file that exists and is valid', () => {
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    const configFile = hostPathOf(env.CAMPAIGN_SYNC_CONFIG ?? '');
    expect(configFile && existsSync(configFile)).toBe(true);
    expect(() => loadConfig(configFile as string)).not.toThrow();
  });

  it("sets every environment variable the worker's configuration references", () => {
    const config = loadConfig(hostPathOf(env.CAMPAIGN_SYNC_CONFIG ?? '') as string);
    const referenced = new Set<string>();
    for (const client of config.clients) if ('env' in client.password) referenced.add(client.password.env);
    if (config.store.kind === 'postgres' && 'env' in config.store.url) referenced.add(config.store.url.env);
    if (config.crm.kind === 'postgres' && config.crm.urlEnv) referenced.add(config.crm.urlEnv);
    expect([...referenced].sort()).toEqual(['CAMPAIGN_SYNC_STORE_URL', 'CRM_DATABASE_URL', 'OPTIMIZELY_PASSWORD']);
    for (const name of referenced) expect([name, typeof env[name], (env[name] ?? '').length > 0]).toEqual([name, 'string', true]);
    expect(env.CAMPAIGN_SYNC_STORE_URL).toMatch(/^postgres:\/\/temporal:.*@postgresql:5432\/campaign_sync$/);
    // Secrets come from the operator's environment, never from the file; compose fails when unset.
    expect(env.OPTIMIZELY_PASSWORD).toMatch(/^\$\{OPTIMIZELY_PASSWORD:\?/);
  });

  it("exposes both metrics endpoints and keeps runtime variables within the worker's schema", () => {
    expect(env.CAMPAIGN_SYNC_METRICS_PORT).toBe('9465');
    expect(env.CAMPAIGN_SYNC_SDK_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    expect(env.CAMPAIGN_SYNC_METRICS_HOST).toBe('0.0.0.0');
    expect(worker.volumes).toContain('worker-data:/var/lib/campaign-sync');
    expect(loadRuntimeEnv(env)).toMatchObject({ CAMPAIGN_SYNC_METRICS_PORT: 9465, LOG_FORMAT: 'json' });
  });

  /** The host file a service mounts at `containerPath`. */
  const mounted = (service: Service, containerPath: string): string | undefined => {
    for (const volume of service.volumes ?? []) {
      const [host, target] = volume.split(':');
      if (target === containerPath && host?.startsWith('./')) return join(root, host);
    }
    return undefined;
  };

  it("runs Prometheus on a valid configuration that scrapes the worker's metrics ports and loads the rules", () => {
    const prometheus = services.prometheus as Service;
    const configFile = mounted(prometheus, '/etc/prometheus/prometheus.yml') as string;
    expect(configFile).toBe(join(root, 'deploy/prometheus/prometheus.yml'));
    const config = parse(readFileSync(configFile, 'utf8')) as {
      rule_files: string[];
      scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
    const sdkPort = (env.CAMPAIGN_SYNC_SDK_METRICS_ADDRESS ?? '').split(':').at(-1);
    expect(targets).toEqual({
      'campaign-sync': [`worker:${env.CAMPAIGN_SYNC_METRICS_PORT}`],
      'campaign-sync-temporal-sdk': [`worker:${sdkPort}`],
    });
    // The rules the configuration names are mounted beside it, as the shipped rule file.
    for (const rules of config.rule_files)
      expect(mounted(prometheus, `/etc/prometheus/${rules}`)).toBe(join(root, 'deploy/prometheus', rules));
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    if (hasPromtool) {
      const run = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' });
      expect([run.status, `${run.stdout}${run.stderr}`]).toEqual([0, expect.stringContaining('is valid prometheus config file syntax')]);
    }
  });

  it('provisions Grafana with that Prometheus as data source and the dashboard from deploy/grafana', () => {
    const grafana = services.grafana as Service;
    const provisioning = mounted(grafana, '/etc/grafana/provisioning') as string;
    expect(provisioning).toBe(join(root, 'deploy/grafana/provisioning'));
    const datasources = parse(readFileSync(join(provisioning, 'datasources/prometheus.yml'), 'utf8')) as {
      datasources: Array<{ type: string; url: string; isDefault?: boolean }>;
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', isDefault: true }),
    ]);
    expect(services.prometheus?.ports).toContain('127.0.0.1:9090:9090');
    const providers = parse(readFileSync(join(provisioning, 'dashboards/campaign-sync.yml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    const dashboardDir = providers.providers[0]?.options.path as string;
    expect(mounted(grafana, `${dashboardDir}/campaign-sync.json`)).toBe(join(root, 'deploy/grafana/campaign-sync.json'));
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
  });
});
