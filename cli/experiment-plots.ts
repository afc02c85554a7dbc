import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentPlan } from './experiment-file.js';
import type { ConditionStats, RunResult } from './experiment-results.js';

/** A Vega-Lite spec (kept loose: the library checks it). */
type VegaLiteSpec = Record<string, unknown>;

/** Points of one condition's curve: share of episodes that succeeded within `step` steps. */
interface CurvePoint {
  readonly condition: string;
  readonly step: number;
  readonly success: number;
}

/**
 * Step at which an episode succeeded, or null: the first diamond (`firstStep_diamond`, Crafter/MAC) when the world
 * reports it, else the episode's length when its `success` metric is set (navigation: the goal was reached).
 */
export function successStep(episode: Readonly<Record<string, unknown>>): number | null {
  const diamond = episode['firstStep_diamond'];
  if (typeof diamond === 'number') return diamond >= 0 ? diamond : null;
  const success = episode['success'];
  const length = episode['length'];
  return typeof success === 'number' && success >= 1 && typeof length === 'number' ? length : null;
}

function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

const X_KEYS = ['envSteps', 'steps', 'step', 'globalStep'];
const Y_KEYS = ['successRate', 'success'];

function firstNumber(row: Readonly<Record<string, unknown>>, keys: readonly string[]): number | undefined {
  for (const k of keys) if (typeof row[k] === 'number') return row[k];
  return undefined;
}

/**
 * Success against steps, per condition. A training run's `metrics.jsonl` (one line per update with env steps and a
 * success rate) gives a learning curve, averaged over seeds at each logged step; a `canopy run` gives, from its
 * episodes.jsonl, the share of episodes that had succeeded by each step (the curve of steps to success).
 */
export function successCurves(plan: ExperimentPlan, results: readonly RunResult[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const condition of plan.conditions) {
    const runs = results.filter((r) => r.run.condition.id === condition.id && r.status === 'completed');
    const learning = new Map<number, number[]>();
    for (const r of runs) {
      for (const row of readJsonl(join(r.run.dir, 'metrics.jsonl'))) {
        const x = firstNumber(row, X_KEYS);
        const y = firstNumber(row, Y_KEYS);
        if (x !== undefined && y !== undefined) learning.set(x, [...(learning.get(x) ?? []), y]);
      }
    }
    if (learning.size > 0) {
      for (const [step, ys] of [...learning].sort((a, b) => a[0] - b[0])) points.push({ condition: condition.id, step, success: ys.reduce((a, b) => a + b, 0) / ys.length });
      continue;
    }
    const episodes = runs.flatMap((r) => readJsonl(join(r.run.dir, 'episodes.jsonl')));
    const steps = episodes.map(successStep);
    if (episodes.length === 0 || steps.every((s) => s === null)) continue;
    const maxLength = Math.max(...episodes.map((e) => (typeof e['length'] === 'number' ? e['length'] : 0)));
    const hits = steps.filter((s): s is number => s !== null).sort((a, b) => a - b);
    points.push({ condition: condition.id, step: 0, success: 0 });
    hits.forEach((s, i) => {
      if (hits[i + 1] !== s) points.push({ condition: condition.id, step: s, success: (i + 1) / episodes.length });
    });
    points.push({ condition: condition.id, step: Math.max(maxLength, hits[hits.length - 1] ?? 0), success: hits.length / episodes.length });
  }
  return points;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export function successSpec(points: readonly CurvePoint[], order: readonly string[]): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title: 'Success against steps',
    width: 520, height: 300,
    data: { values: points },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'env steps' },
      y: { field: 'success', type: 'quantitative', title: 'share of episodes succeeded', axis: { format: '%' }, scale: { domain: [0, 1] } },
      color: { field: 'condition', type: 'nominal', sort: order, legend: { orient: 'bottom', columns: 2, labelLimit: 400 } },
    },
  };
}

/** Steps to diamond (mean with 95% CI) by team size, one bar per other setting; null when no run reports it. */
export function stepsToDiamondSpec(plan: ExperimentPlan, stats: readonly ConditionStats[]): VegaLiteSpec | null {
  const metric = 'meanStepsToDiamond';
  const rows = stats.filter((s) => s.metrics[metric]).map((s) => {
    const m = s.metrics[metric]!;
    const others = Object.entries(s.values).filter(([k]) => k !== 'agents').map(([k, v]) => `${k.replace(/^--/, '')}=${v}`).join(', ');
    return { agents: String(s.values['agents'] ?? plan.conditions.find((c) => c.id === s.condition)?.config['agents'] ?? '?'), setting: others || 'default', mean: m.mean, low: m.low, high: m.high };
  });
  if (rows.length === 0) return null;
  const settings = [...new Set(rows.map((r) => r.setting))];
  const enc = {
    x: { field: 'agents', type: 'ordinal', title: 'agents', axis: { labelAngle: 0 }, sort: [...new Set(rows.map((r) => r.agents))].sort((a, b) => Number(a) - Number(b)) },
    xOffset: { field: 'setting', type: 'nominal', sort: settings },
  };
  return {
    $schema: SCHEMA,
    title: 'Steps to diamond by team size (mean, 95% CI; a miss counts as the episode limit)',
    width: 520, height: 300,
    data: { values: rows },
    layer: [
      { mark: 'bar', encoding: { ...enc, y: { field: 'mean', type: 'quantitative', title: 'steps to first diamond' }, color: { field: 'setting', type: 'nominal', sort: settings, legend: { orient: 'bottom', columns: 1, labelLimit: 400 } } } },
      { mark: { type: 'errorbar', ticks: true }, transform: [{ filter: 'datum.low != null' }], encoding: { ...enc, y: { field: 'low', type: 'quantitative', title: 'steps to first diamond' }, y2: { field: 'high' } } },
    ],
  };
}

/** Achievement success rates (pooled over each condition's episodes) as a heat map with the rates written in; null without any. */
export function achievementsSpec(stats: readonly ConditionStats[]): VegaLiteSpec | null {
  const rows = stats.flatMap((s) => Object.entries(s.successRates ?? {}).map(([achievement, rate]) => ({ condition: s.condition, achievement, rate, label: rate.toFixed(0) })));
  if (rows.length === 0) return null;
  const order = stats.map((s) => s.condition);
  const achievements = [...new Set(rows.map((r) => r.achievement))];
  const enc = {
    x: { field: 'condition', type: 'nominal', sort: order, title: null, axis: { orient: 'top', labelAngle: -40, labelLimit: 400 } },
    y: { field: 'achievement', type: 'nominal', sort: achievements, title: null },
  };
  return {
    $schema: SCHEMA,
    title: { text: 'Achievement success rates (% of episodes)', orient: 'bottom' },
    width: { step: 44 },
    height: { step: 18 },
    data: { values: rows },
    layer: [
      { mark: 'rect', encoding: { ...enc, color: { field: 'rate', type: 'quantitative', title: '%', scale: { domain: [0, 100], scheme: 'greens' } } } },
      { mark: { type: 'text', fontSize: 10 }, encoding: { ...enc, text: { field: 'label' }, color: { condition: { test: 'datum.rate > 60', value: 'white' }, value: 'black' } } },
    ],
  };
}

/** Renders a Vega-Lite spec to SVG without a browser (vega's headless view; text is measured by estimate). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes the plots that the results allow into `<out>/plots/`; returns their paths relative to `out`. */
export async function writePlots(out: string, plan: ExperimentPlan, results: readonly RunResult[], stats: readonly ConditionStats[]): Promise<string[]> {
  const order = plan.conditions.map((c) => c.id);
  const curves = successCurves(plan, results);
  const specs: [string, VegaLiteSpec | null][] = [
    ['success-vs-steps.svg', curves.length > 0 ? successSpec(curves, order) : null],
    ['steps-to-diamond.svg', stepsToDiamondSpec(plan, stats)],
    ['achievements.svg', achievementsSpec(stats)],
  ];
  const written: string[] = [];
  for (const [name, spec] of specs) {
    if (!spec) continue;
    mkdirSync(join(out, 'plots'), { recursive: true });
    writeFileSync(join(out, 'plots', name), await renderSvg(spec));
    written.push(`plots/${name}`);
  }
  return written;
}
