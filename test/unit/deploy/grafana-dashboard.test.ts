import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Histogram } from 'prom-client';
import { createSyncMetrics } from '../../../src/metrics/sync-metrics';

// Every query of the shipped dashboard names only metrics the worker registers, and only labels those
// metrics carry: a renamed metric or label breaks this test instead of leaving an empty panel.

interface Target {
  expr: string;
}
interface Panel {
  title: string;
  targets: Target[];
}
const dashboard = JSON.parse(readFileSync(join(__dirname, '../../../deploy/grafana/campaign-sync.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: Array<{ query: unknown }> };
};

/** Metric name (with histogram series suffixes) -> its label names, from the worker's own registry. */
function exportedMetrics(): Map<string, Set<string>> {
  const registry = createSyncMetrics().registry;
  const exported = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
    const labels = new Set(labelNames);
    exported.set(name, labels);
    if (metric instanceof Histogram) {
      for (const suffix of ['_bucket', '_sum', '_count'])
        exported.set(name + suffix, suffix === '_bucket' ? new Set([...labels, 'le']) : labels);
    }
  }
  return exported;
}

function queries(): Array<{ where: string; expr: string }> {
  const fromPanels = dashboard.panels.flatMap((panel) => panel.targets.map((t) => ({ where: panel.title, expr: t.expr })));
  const fromVariables = dashboard.templating.list.flatMap((v) =>
    typeof v.query === 'object' && v.query !== null && 'query' in v.query
      ? [{ where: 'variable', expr: String((v.query as { query: string }).query) }]
      : [],
  );
  return [...fromPanels, ...fromVariables];
}

describe('deploy/grafana/campaign-sync.json', () => {
  const exported = exportedMetrics();

  it('has panels, each with at least one query', () => {
    expect(dashboard.panels.length).toBeGreaterThan(5);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });

  it('names only metrics the worker exports', () => {
    const unknown = queries().flatMap(({ where, expr }) =>
      (expr.match(/campaign_sync_[a-z_]+/g) ?? []).filter((n) => !exported.has(n)).map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('matches and groups only by labels its metrics carry', () => {
    const problems: string[] = [];
    for (const { where, expr } of queries()) {
      const names = expr.match(/campaign_sync_[a-z_]+/g) ?? [];
      const labelsOf = names.map((n) => exported.get(n) ?? new Set<string>());
      for (const [, name, matchers] of expr.matchAll(/(campaign_sync_[a-z_]+)\{([^}]*)\}/g)) {
        for (const [, label] of (matchers ?? '').matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)) {
          if (!exported.get(name ?? '')?.has(label ?? '')) problems.push(`${where}: ${name} has no label ${label}`);
        }
      }
      for (const [, grouping] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of (grouping ?? '')
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean)) {
          if (!labelsOf.some((labels) => labels.has(label)))
            problems.push(`${where}: grouped by ${label}, which no metric of the query carries`);
        }
      }
      for (const [, , label] of expr.matchAll(/label_values\((campaign_sync_[a-z_]+),\s*([a-z_]+)\)/g)) {
        if (!labelsOf.some((labels) => labels.has(label ?? ''))) problems.push(`${where}: label_values of ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the check itself catches an unknown metric and an unknown label', () => {
    expect(exported.has('campaign_sync_list_size')).toBe(false);
    expect(exported.get('campaign_sync_recipients_sent_total')?.has('reason')).toBe(false);
    expect(exported.get('campaign_sync_clear_to_ready_seconds_bucket')?.has('le')).toBe(true);
  });
});
