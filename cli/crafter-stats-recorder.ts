import { join } from 'node:path';
import { ofType } from '../core/operators/of-type.js';
import type { AgentId } from '../core/parallel-env.js';
import type { CrafterEnv } from '../worlds/crafter/crafter-env.js';
import { crafterScore } from '../worlds/crafter/score.js';
import { JsonlWriter } from './output.js';
import type { RecorderContext, RunRecorder } from './run-recorder.js';

/** One `stats.jsonl` line: the reference Recorder's fields (`length`, `reward`, `achievement_<name>`), plus who and when. */
export type CrafterStatsLine = { episode: number; agent: AgentId; length: number; reward: number } & Record<`achievement_${string}`, number>;

/**
 * Writes Crafter's `stats.jsonl` in the reference `crafter.Recorder` format, one line per player per finished
 * episode (`episode` and `agent` added so multi-agent runs stay one flat table), and adds `achievements`,
 * `successRates` and `crafterScore` to `summary.json`.
 *
 * A player's `length` is the steps it was live (it may die before the episode ends); `reward` is its return rounded
 * to one decimal as the reference does; `achievement_<name>` counts how often it unlocked each achievement.
 */
export class CrafterStatsRecorder implements RunRecorder {
  private readonly out: JsonlWriter;
  private readonly env: CrafterEnv;
  private readonly names: readonly string[];
  private readonly lengths = new Map<AgentId, number>();
  /** Per finished episode: each player's line. */
  private readonly episodes: CrafterStatsLine[][] = [];

  constructor(ctx: RecorderContext) {
    this.env = ctx.env as unknown as CrafterEnv;
    this.names = this.env.rules.achievements;
    this.out = new JsonlWriter(join(ctx.dir, 'stats.jsonl'));
    ctx.events$.pipe(ofType('episodeStart')).subscribe(() => this.lengths.clear());
    ctx.events$.pipe(ofType('agentRemoved')).subscribe((e) => this.lengths.set(e.data.agent, e.step));
    ctx.events$.pipe(ofType('episodeEnd')).subscribe((e) => {
      if (e.data.interrupted) return;
      const lines: CrafterStatsLine[] = [];
      for (const agent of this.env.possibleAgents) {
        const line = { episode: e.episode, agent, length: this.lengths.get(agent) ?? e.data.length, reward: round1(e.data.returns[agent] ?? 0) } as CrafterStatsLine;
        const counts = this.env.achievementCounts(agent);
        for (const name of this.names) line[`achievement_${name}`] = counts[name] ?? 0;
        this.out.write(line);
        lines.push(line);
      }
      this.episodes.push(lines);
    });
  }

  close(): void {
    this.out.close();
  }

  /**
   * `achievements`: per achievement, the number of episodes in which it was unlocked at least once, for the team
   * (by anyone) and per agent; `successRates`: the same as a percent of finished episodes; `crafterScore`: the
   * reference score of the team's rates, and `crafterScoreByAgent` of each agent's.
   */
  summary(): Readonly<Record<string, unknown>> {
    const n = this.episodes.length;
    const counts = (lines: readonly Readonly<Record<string, unknown>>[]): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const name of this.names) out[name] = lines.filter((l) => Number(l[`achievement_${name}`] ?? 0) >= 1).length;
      return out;
    };
    const rates = (c: Record<string, number>): Record<string, number> =>
      Object.fromEntries(Object.entries(c).map(([k, v]) => [k, n > 0 ? (100 * v) / n : 0]));
    // The team unlocked an achievement in an episode when any player did.
    const team = counts(this.episodes.map((ep) => Object.fromEntries(this.names.map((name) => {
      const key = `achievement_${name}`;
      return [key, ep.some((l) => (l[key as `achievement_${string}`] ?? 0) >= 1) ? 1 : 0];
    }))));
    const byAgent: Record<AgentId, Record<string, number>> = {};
    this.env.possibleAgents.forEach((agent, i) => (byAgent[agent] = counts(this.episodes.map((ep) => ep[i]!))));
    const teamRates = rates(team);
    const ratesByAgent = Object.fromEntries(Object.entries(byAgent).map(([a, c]) => [a, rates(c)]));
    return {
      achievements: { team, byAgent },
      successRates: { team: roundAll(teamRates), byAgent: Object.fromEntries(Object.entries(ratesByAgent).map(([a, r]) => [a, roundAll(r)])) },
      crafterScore: n > 0 ? round4(crafterScore(Object.values(teamRates))) : null,
      crafterScoreByAgent: n > 0 ? Object.fromEntries(Object.entries(ratesByAgent).map(([a, r]) => [a, round4(crafterScore(Object.values(r)))])) : {},
    };
  }

  summaryLines(): readonly string[] {
    const s = this.summary();
    const score = s['crafterScore'] as number | null;
    const team = (s['achievements'] as { team: Record<string, number> }).team;
    const unlocked = Object.values(team).filter((c) => c > 0).length;
    return [`  crafter score ${score === null ? 'n/a' : `${score.toFixed(2)}%`} (team), ${unlocked} of ${this.names.length} achievements unlocked at least once`];
  }
}

function roundAll(rates: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, round4(r)]));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
