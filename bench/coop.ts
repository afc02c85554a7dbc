/**
 * `npm run bench:coop`: kg-planner teams on MAC (the DAMCS multi-agent Crafter rules), 1, 2 and 6 agents, with a
 * shared team graph and messages vs private graphs without messages, 20 seeds (20 maps) each. Prints the mean and
 * standard deviation of steps to the first diamond (a miss counts as 350), the success rate within 350 steps and
 * the DAMCS per-task table (mean first-completion step of each task over the episodes that reached it, with counts).
 * Usage: node --import tsx bench/coop.ts [--seeds 20] [--first-seed 0] [--agents 1,2,6] [--modes shared,private] [--budget 1] [--scouts k]
 */
import { DAMCS_TASKS, runCoopEpisode } from './support/coop-episode.js';
import { flag } from './support/flags.js';

const seeds = Number(flag('seeds', '20'));
/** First seed (tune on 100+, report on the standard 0..19). */
const firstSeed = Number(flag('first-seed', '0'));
const agentCounts = flag('agents', '1,2,6').split(',').map(Number);
const modes = flag('modes', 'shared,private').split(',') as ('shared' | 'private')[];
const budget = Number(flag('budget', '1'));
const scoutsFlag = flag('scouts', '');
const scouts = scoutsFlag === '' ? undefined : Number(scoutsFlag);
const plannerFlag = flag('planner', '');
/** Planner option overrides as JSON, e.g. --planner '{"spareTables":0}' (tuning). */
const planner = plannerFlag === '' ? {} : (JSON.parse(plannerFlag) as Record<string, never>);
const MISS = 350;
console.log('argv', JSON.stringify(process.argv.slice(2)), 'planner', JSON.stringify(planner));
const DAMCS: Record<number, string> = { 1: '140 (KG memory)', 2: '~150 without / ~121 with communication', 6: '~141 without / ~86 with communication' };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
};

const rows: string[] = [];
for (const n of agentCounts) {
  for (const mode of modes) {
    if (n === 1 && mode === 'private' && modes.includes('shared')) continue; // one agent: both are the same
    const steps: number[] = [];
    const tasks = new Map<string, number[]>();
    let shares = 0;
    let messages = 0;
    const t0 = Date.now();
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const r = await runCoopEpisode({ agents: n, shared: mode === 'shared', seed, messageBudget: budget, planner, ...(scouts !== undefined ? { scouts } : {}) });
      steps.push(r.diamondStep > 0 ? r.diamondStep : MISS);
      for (const [label] of DAMCS_TASKS) if (r.tasks[label]! > 0) tasks.set(label, [...(tasks.get(label) ?? []), r.tasks[label]!]);
      shares += r.controllers.reduce((a, c) => a + c.stats.shares, 0);
      messages += r.messages.accepted;
      await r.kg.close();
    }
    const ok = steps.filter((s) => s < MISS).length;
    const label = `${n} agent${n > 1 ? 's' : ''}, ${mode === 'shared' ? 'shared graph + messages' : 'private graphs, no messages'}`;
    console.log(`\n${label}: ${seeds} seeds in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`  steps to first diamond: ${mean(steps).toFixed(1)} ± ${sd(steps).toFixed(1)} (miss = ${MISS}); success ${ok}/${seeds} (${((100 * ok) / seeds).toFixed(0)}%); DAMCS GPT-4o: ${DAMCS[n] ?? '-'}`);
    console.log(`  messages accepted ${messages}, share actions ${shares}`);
    console.log(`  ${DAMCS_TASKS.map(([l]) => l.padStart(13)).join('')}`);
    console.log(`  ${DAMCS_TASKS.map(([l]) => { const v = tasks.get(l) ?? []; return (v.length ? `${mean(v).toFixed(1)} (${v.length})` : '-').padStart(13); }).join('')}`);
    rows.push(`| ${n} | ${mode} | ${mean(steps).toFixed(1)} ± ${sd(steps).toFixed(1)} | ${ok}/${seeds} |`);
  }
}
console.log('\n| agents | memory | steps to diamond (mean ± sd) | success |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
