import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, readJsonl, runMain, tempDir } from './support/run-cli.js';
import type { CliResult } from './support/run-cli.js';
import { crafterScore, successRates } from '../../worlds/crafter/score.js';

const dir = tempDir('crafter');
after(() => rmSync(dir, { recursive: true, force: true }));

/** The 22 achievements of the reference (crafter 1.8.3 `constants.achievements`), as stats.jsonl keys. */
const ACHIEVEMENTS = [
  'collect_coal', 'collect_diamond', 'collect_drink', 'collect_iron', 'collect_sapling', 'collect_stone', 'collect_wood',
  'defeat_skeleton', 'defeat_zombie', 'eat_cow', 'eat_plant', 'make_iron_pickaxe', 'make_iron_sword', 'make_stone_pickaxe',
  'make_stone_sword', 'make_wood_pickaxe', 'make_wood_sword', 'place_furnace', 'place_plant', 'place_stone', 'place_table', 'wake_up',
];

type Line = Record<string, unknown>;
type Summary = Record<string, unknown> & {
  episodes: number;
  achievements: { team: Record<string, number>; byAgent: Record<string, Record<string, number>> };
  successRates: { team: Record<string, number>; byAgent: Record<string, Record<string, number>> };
  crafterScore: number;
  crafterScoreByAgent: Record<string, number>;
};

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-3, `${what}: ${a} vs ${b}`);

describe('canopy run --world crafter', () => {
  const runs: Record<string, CliResult> = {};
  const out = (name: string) => join(dir, name);
  before(async () => {
    // Rules from the config file, a short episode length through the world's own params (a rule override).
    const cfg = join(dir, 'crafter.yaml');
    writeFileSync(cfg, ['world: crafter', 'rules: crafter', 'agents: 3', 'agent: random', 'episodes: 3', 'params:', '  overrides:', '    world.length: 80', ''].join('\n'));
    runs.a = await runMain(['run', '--config', cfg, '--seed', '4', '--out', out('a'), '--events', '--quiet']);
    runs.b = await runMain(['run', '--config', cfg, '--seed', '4', '--out', out('b'), '--quiet']);
    runs.c = await runMain(['run', '--config', cfg, '--seed', '5', '--out', out('c'), '--quiet']);
    runs.mac = await runMain(['run', '--world', 'crafter', '--rules', 'mac', '--agents', '6', '--agent', 'scripted', '--episodes', '1', '--seed', '2', '--out', out('mac')]);
  });

  it('runs and writes config, episodes, stats, summary (and events with --events)', () => {
    for (const [name, res] of Object.entries(runs)) assert.equal(res.code, 0, `${name}: ${res.stderr}`);
    for (const f of ['config.json', 'episodes.jsonl', 'stats.jsonl', 'summary.json', 'events.jsonl']) assert.ok(existsSync(join(out('a'), f)), f);
    assert.equal(existsSync(join(out('b'), 'events.jsonl')), false);
    const config = readJson(join(out('a'), 'config.json'));
    assert.equal(config['rules'], 'crafter');
    assert.equal('layout' in config, false, 'crafter has rules, not layouts');
    assert.deepEqual(config['params'], { overrides: { 'world.length': 80 } });
    const events = readJsonl(join(out('a'), 'events.jsonl'));
    assert.ok(events.some((e) => e['type'] === 'achievementUnlocked'), 'world events reach events.jsonl');
    assert.match(runs.mac!.stdout, /crafter\/mac: 6 x scripted, seed 2/);
    assert.match(runs.mac!.stdout, /crafter score \d+\.\d+% \(team\), \d+ of 22 achievements/);
  });

  it('same seed, same trajectory hash; another seed, another hash', () => {
    const hash = (name: string) => readJson(join(out(name), 'summary.json'))['trajectoryHash'];
    assert.match(String(hash('a')), /^[0-9a-f]{64}$/);
    assert.equal(hash('a'), hash('b'));
    assert.notEqual(hash('a'), hash('c'));
  });

  it('stats.jsonl: one line per player per episode in the reference Recorder format', () => {
    const stats = readJsonl(join(out('a'), 'stats.jsonl'));
    const episodes = readJsonl(join(out('a'), 'episodes.jsonl'));
    assert.equal(episodes.length, 3);
    assert.equal(stats.length, 3 * 3);
    const keys = ['episode', 'agent', 'length', 'reward', ...ACHIEVEMENTS.map((a) => `achievement_${a}`)].sort();
    for (const line of stats) {
      assert.deepEqual(Object.keys(line).sort(), keys);
      const ep = episodes[line['episode'] as number]!;
      assert.ok((line['length'] as number) >= 1 && (line['length'] as number) <= (ep['length'] as number), 'a player is live at most the episode');
      const ret = (ep['rewards'] as Record<string, number>)[line['agent'] as string]!;
      assert.equal(line['reward'], Math.round(ret * 10) / 10, 'reward is the return rounded to 0.1 as the reference does');
    }
    // The team flags of episodes.jsonl are "any player's count >= 1" of stats.jsonl.
    for (const ep of episodes) {
      const mine = stats.filter((l) => l['episode'] === ep['episode']);
      for (const a of ACHIEVEMENTS) assert.equal(ep[`achievement_${a}`], mine.some((l) => (l[`achievement_${a}`] as number) >= 1) ? 1 : 0, `${a} in episode ${String(ep['episode'])}`);
    }
  });

  it('summary achievements, successRates and crafterScore agree with stats.jsonl', () => {
    for (const name of ['a', 'mac']) {
      const stats = readJsonl(join(out(name), 'stats.jsonl'));
      const s = readJson(join(out(name), 'summary.json')) as Summary;
      const agents = [...new Set(stats.map((l) => l['agent'] as string))];
      const byEpisode = new Map<number, Line[]>();
      for (const l of stats) byEpisode.set(l['episode'] as number, [...(byEpisode.get(l['episode'] as number) ?? []), l]);
      assert.equal(byEpisode.size, s.episodes);
      const teamLines = [...byEpisode.values()].map((lines) =>
        Object.fromEntries(ACHIEVEMENTS.map((a) => [`achievement_${a}`, Math.max(...lines.map((l) => l[`achievement_${a}`] as number))])),
      );
      const team = successRates(teamLines, ACHIEVEMENTS);
      for (const a of ACHIEVEMENTS) {
        near(s.successRates.team[a]!, team[a]!, `${name} team ${a}`);
        assert.equal(s.achievements.team[a], Math.round((team[a]! * s.episodes) / 100), `${name} team count ${a}`);
      }
      near(s.crafterScore, crafterScore(Object.values(team)), `${name} team score`);
      for (const agent of agents) {
        const mine = successRates(stats.filter((l) => l['agent'] === agent), ACHIEVEMENTS);
        for (const a of ACHIEVEMENTS) near(s.successRates.byAgent[agent]![a]!, mine[a]!, `${name} ${agent} ${a}`);
        near(s.crafterScoreByAgent[agent]!, crafterScore(Object.values(mine)), `${name} ${agent} score`);
      }
    }
  });

  it('the scripted agent climbs the tech tree under the mac rules', () => {
    const s = readJson(join(out('mac'), 'summary.json')) as Summary;
    for (const a of ['collect_wood', 'place_table', 'make_wood_pickaxe', 'collect_stone']) assert.equal(s.successRates.team[a], 100, a);
    assert.ok(s.crafterScore > 10, `team score ${s.crafterScore}`);
  });
});
